import { defer, mergeMap, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from '../commands/decider/handleCommand.js';
import { moveMeeting, type MoveMeetingDeps } from '../commands/workflows/moveMeeting.js';
import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX } from '../domain/streams.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import { failoverCommandId, type RunningMeeting } from '../domain/failover/failoverPlan.js';
import { FailoverView, type FailoverWork } from '../domain/failover/failoverView.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { runSaga, type RunningSaga } from './runSaga.js';
import { FAILOVER_NAMESPACE } from '../domain/ids.js';

export const FAILOVER_SAGA = 'failover';

/** Node and meeting events → the work failover asks for (pure: the view decides). */
export function failoverSaga(events$: Observable<DomainEvent>, view: FailoverView): Observable<FailoverWork> {
  return events$.pipe(mergeMap((event) => view.apply(event)));
}

export interface FailoverSagaOptions {
  store: EventStore;
  logger: Logger;
  deps: Omit<MoveMeetingDeps, 'isOffline' | 'store'>;
  /** `FAILOVER_CONCURRENCY`: meetings re-created at once (each meeting's work stays in order). */
  concurrency: number;
  now(): Date;
}

/**
 * Runs failover over the node and meeting streams: on a node's NodeHealthChanged → offline, every meeting
 * running there is moved (or ended with reason failover), `concurrency` at a time, in order per meeting;
 * when the node comes back and reconciliation reports a moved meeting's stale copy, that copy is ended on it.
 */
export function runFailoverSaga(options: FailoverSagaOptions): RunningSaga {
  const { store, logger } = options;
  const log = logger.child({ saga: FAILOVER_SAGA });
  let view = new FailoverView();
  const deps: MoveMeetingDeps = { ...options.deps, store, isOffline: (nodeId) => view.isOffline(nodeId) };
  return runSaga<FailoverWork>({
    name: FAILOVER_SAGA,
    store,
    logger,
    streamPrefixes: [NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX],
    // A restart (after a failed subscription) folds the log again into a fresh view.
    saga: (events$) => defer(() => failoverSaga(events$, (view = new FailoverView()))),
    nodeIdOf: (work) => work.key,
    contextOf: (work) => {
      const id = uuidv5(work.kind === 'move' ? work.trigger.offlineId : `${work.nodeId}/${work.internalMeetingID}`, FAILOVER_NAMESPACE);
      return { actor: `saga:${FAILOVER_SAGA}`, correlationId: id, causationId: id, commandId: id };
    },
    perform: (work, context) => performFailover(deps, view, work, context, log),
    describe: (work) => (work.kind === 'move' ? `move ${work.meeting.scope}/${work.meeting.meetingID} off ${work.trigger.from}` : `end stale ${work.nodeMeetingID} on ${work.nodeId}`),
    now: options.now,
    concurrency: options.concurrency,
  });
}

async function performFailover(deps: MoveMeetingDeps, view: FailoverView, work: FailoverWork, context: CommandContext, log: Logger): Promise<DomainEvent[]> {
  if (work.kind === 'endStale') {
    await endStaleCopy(deps, view, work, log);
    return [];
  }
  const stepContext = (step: 'move' | 'end', running: RunningMeeting): CommandContext => ({
    ...context,
    commandId: uuidv5(`${failoverCommandId(running, work.trigger)}/${step}`, FAILOVER_NAMESPACE),
  });
  const outcome = await moveMeeting(deps, work.meeting, work.trigger, stepContext);
  if (outcome.kind === 'skipped') {
    log.debug({ meeting: work.meeting, trigger: work.trigger, why: outcome.why }, 'failover: nothing to do');
    return [];
  }
  return outcome.events;
}

/** Only while the meeting is not (back) on that node: then the copy there is ours again, and stays. */
async function endStaleCopy(deps: MoveMeetingDeps, view: FailoverView, work: Extract<FailoverWork, { kind: 'endStale' }>, log: Logger): Promise<void> {
  if (view.nodeOf(work.key) === work.nodeId || !deps.stillHolds()) return;
  const node = deps.nodes().find((n) => n.id === work.nodeId);
  if (!node) return;
  const result = await deps.nodeClient.call(node, 'end', [['meetingID', work.nodeMeetingID]]);
  const answer = result.kind === 'ok' ? (result.doc.messageKey ?? result.doc.returncode) : `${result.reason}: ${result.detail}`;
  log.info({ nodeId: work.nodeId, nodeMeetingID: work.nodeMeetingID, internalMeetingID: work.internalMeetingID, answer }, 'failover: ended the stale copy of a moved meeting');
}
