import { from, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import { appendObserved } from './commands/observations/appendObserved.js';
import { handleDeliveryCommand } from './commands/decider/deliveryCommands.js';
import { toNewEvent } from './commands/decider/handleCommand.js';
import { handleMeetingCommand } from './commands/decider/meetingCommands.js';
import { handleImportCommand, handleRecordingCommand } from './commands/decider/recordingCommands.js';
import { stageUpload } from './commands/workflows/recordingUpload.js';
import { moveMeeting, type MoveMeetingDeps } from './commands/workflows/moveMeeting.js';
import { handleNodeCommand } from './commands/decider/nodeCommands.js';
import type { DomainEvent } from './domain/eventCatalogue.js';
import { failoverCommandId } from './domain/failover/failoverPlan.js';
import type { PlacementNode } from './domain/placement/placement.js';
import { meetingStreamId, nodeStreamId } from './domain/streams.js';
import type { EventStore } from './eventstore/port.js';
import type { Logger } from './logging.js';
import type { BbbNodeClient } from './nodes/bbbNodeClient.js';
import { deliver } from './outbound/delivery.js';
import type { NodeProber } from './sagas/nodeProber.js';
import type { EffectPorts, PerformContext } from './sagas/process/ports.js';
import type { SagaCommands } from './sagas/process/sagaCommands.js';
import type { ObjectStorage } from './storage/objectStorage.js';
import type { FailoverMeeting, NodeCall } from './sagas/process/process.js';

export interface ProcessPortsDeps {
  store: EventStore;
  logger: Logger;
  prober: NodeProber;
  nodeClient: BbbNodeClient;
  nodes(): readonly PlacementNode[];
  /** What the failover workflow needs besides the store and the fence (those come with each effect). */
  failover: Omit<MoveMeetingDeps, 'store' | 'isOffline' | 'stillHolds'>;
  /** `CALLBACKS_ALLOW_PRIVATE` */
  allowPrivate: boolean;
  deliveryDeadlineMs: number;
}

/**
 * The processes' effects performed through src/commands: the composition root builds this, so no process
 * imports a command handler. Aggregate commands go through their deciders, observations are appended as
 * they are, the failover workflow interleaves node calls with its commands.
 */
export function processPorts(deps: ProcessPortsDeps): EffectPorts {
  const { store } = deps;
  const log = deps.logger.child({ saga: 'processes' });
  return {
    async perform(effect, context) {
      if (effect.kind === 'observe') {
        const { event } = effect;
        const streamId = event.type === 'NodeLoadReported' ? nodeStreamId(event.data.nodeId) : meetingStreamId(event.data.scope, event.data.meetingID);
        await appendObserved(store, streamId, event, context.command);
        return [event];
      }
      const { command } = effect;
      switch (command.type) {
        case 'FailoverMeeting':
          return failover(deps, command, context, log);
        case 'RecordMeetingGoneFromNode':
          return (await handleMeetingCommand(store, command, context.command)).events;
        default:
          return (await handleNodeCommand(store, command, context.command)).events;
      }
    },
    callNode: (call) => callNode(deps, call, log),
    async deliver(request, signal) {
      const outcome = await deliver({ ...request, deadlineMs: deps.deliveryDeadlineMs, allowPrivate: deps.allowPrivate, signal });
      return outcome.outcome === 'delivered' ? { ok: true } : { ok: false, detail: 'message' in outcome ? outcome.message : `HTTP ${outcome.status}` };
    },
  };
}

async function failover(deps: ProcessPortsDeps, command: FailoverMeeting, context: PerformContext, log: Logger): Promise<DomainEvent[]> {
  const { meeting, trigger } = command.data;
  const moveDeps: MoveMeetingDeps = { ...deps.failover, store: deps.store, isOffline: () => context.stillWanted(), stillHolds: context.stillHolds };
  const outcome = await moveMeeting(moveDeps, meeting, trigger, (step, running) => ({
    ...context.command,
    commandId: uuidv5(`${failoverCommandId(running, trigger)}/${step}`, context.idNamespace),
  }));
  if (outcome.kind === 'skipped') {
    log.debug({ meeting, trigger, why: outcome.why }, 'failover: nothing to do');
    return [];
  }
  return outcome.events;
}

function callNode(deps: ProcessPortsDeps, call: NodeCall, log: Logger): Observable<unknown> {
  if (call.call === 'probe') return deps.prober(call.target);
  return from(
    (async () => {
      const node = deps.nodes().find((n) => n.id === call.nodeId);
      if (!node) throw new Error(`node ${call.nodeId} is not in the node directory`);
      const result = await deps.nodeClient.call(node, call.api, call.params);
      const answer = result.kind === 'ok' ? (result.doc.messageKey ?? result.doc.returncode) : `${result.reason}: ${result.detail}`;
      log.info({ nodeId: call.nodeId, params: call.params, answer }, `${call.api} on node ${call.nodeId}`);
      return answer;
    })(),
  );
}


/** The command handlers of the sagas not yet on the runtime, over one store (and the recordings' storage). */
export function sagaCommands(store: EventStore, storage?: ObjectStorage): SagaCommands {
  return {
    delivery: (command, context) => handleDeliveryCommand(store, command, context),
    recording: (command, context) => handleRecordingCommand(store, command, context),
    import: (command, context) => handleImportCommand(store, command, context),
    stageSpooled(archive, context) {
      if (!storage) return Promise.reject(new Error('no recordings storage to stage a spooled archive in'));
      return stageUpload(store, storage, { ...archive, nodeId: null, source: 'spool' }, context);
    },
    async appendUnchecked(streamId, event, context, namespace) {
      await store.append(streamId, [toNewEvent(event, 0, context, namespace)], { expectedRevision: 'any' });
    },
  };
}
