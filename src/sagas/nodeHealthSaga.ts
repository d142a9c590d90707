import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  EMPTY,
  expand,
  filter,
  groupBy,
  map,
  mergeMap,
  of,
  scan,
  switchMap,
  take,
  throwIfEmpty,
  timeout,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { isNodeEvent } from '../domain/node/decider.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import type { RecordProbeResult } from '../domain/node/commands.js';
import type { NodeEvent } from '../domain/node/events.js';
import { extendStreak, NO_STREAK, type HealthThresholds, type ProbeResult, type ProbeStreak } from '../domain/node/health.js';
import type { NodeMeeting } from '../domain/bbb/getMeetingsResponse.js';
import { nextProbeAt, type ProbeCadence } from '../domain/node/probeCadence.js';
import type { NodeProber, ProbeOutcome, ProbeTarget } from './nodeProber.js';

export interface NodeHealthSagaOptions {
  prober: NodeProber;
  /** `POLL_INTERVAL_MS` */
  intervalMs: number;
  /** `POLL_RETRY_MS`: after a failed probe the next comes this soon (capped at the interval), until the node is offline. */
  retryMs: number;
  /** `POLL_TIMEOUT_MS`: a probe still running then counts as a `timeout` failure and is cancelled. */
  timeoutMs: number;
  thresholds: HealthThresholds;
  /**
   * Spread the first polls of the nodes over the interval (by a hash of the node id), so 1,000 nodes are
   * not asked, answered and parsed in one burst every interval. Off in tests that count frames.
   */
  spread?: boolean;
  /** `NODE_LOAD_PATH`: the load endpoint on every node's origin (e.g. `/b3lb/load`); absent = none. */
  loadPath?: string;
  /** Virtual time in tests; the async scheduler otherwise. */
  scheduler?: SchedulerLike;
}

/** One poll of one node: when it started, its health result, and what the node answered when it did. */
export interface NodePoll {
  target: ProbeTarget;
  /** Poll start, ms on the scheduler's clock. */
  at: number;
  result: ProbeResult;
  /** Consecutive results before this one. */
  streak: ProbeStreak;
  meetings: NodeMeeting[] | null;
  cpu: number | null;
  memory?: number | null;
}

/**
 * Node events → one poll loop per node: it starts at registration and stops when the node is removed
 * (a decommissioned node is polled while its meetings run); admin and health changes leave the loop (and
 * its rhythm) alone. The only loop per node: health, load and reconciliation all read its polls.
 */
export function nodePolls(events$: Observable<DomainEvent>, options: NodeHealthSagaOptions): Observable<NodePoll> {
  return events$.pipe(
    filter(isNodeEvent),
    groupBy((event) => event.data.nodeId),
    mergeMap((node$) =>
      node$.pipe(
        scan((target: ProbeTarget | undefined, event: NodeEvent) => probeTargetAfter(target, event, options.loadPath), undefined),
        distinctUntilChanged(),
        switchMap((target) => (target ? pollNode(target, options) : EMPTY)),
      ),
    ),
  );
}

/** Health alone: a RecordProbeResult per poll (the fleet saga sends only those that change the health). */
export function nodeHealthSaga(events$: Observable<DomainEvent>, options: NodeHealthSagaOptions): Observable<RecordProbeResult> {
  return nodePolls(events$, options).pipe(map((poll) => probeResultCommand(poll, options.thresholds)));
}

export function probeResultCommand(poll: NodePoll, thresholds: HealthThresholds): RecordProbeResult {
  return { type: 'RecordProbeResult', data: { nodeId: poll.target.nodeId, result: poll.result, streak: poll.streak, thresholds } };
}

/** The pure fold: what to probe for one node after its event, or nothing. Unchanged means the same object. */
export function probeTargetAfter(target: ProbeTarget | undefined, event: NodeEvent, loadPath?: string): ProbeTarget | undefined {
  switch (event.type) {
    case 'NodeRegistered': {
      const { nodeId, url, secret, checksumAlgorithm } = event.data;
      return { nodeId, apiUrl: url, secret, checksumAlgorithm, loadUrl: loadPath ? new URL(loadPath, url).href : null };
    }
    case 'NodeRemoved':
      return undefined;
    default:
      // Disabled, cordoned and decommissioned nodes are still probed: an operator sees their health, and
      // their meetings are still reconciled until the last one ends.
      return target;
  }
}

/**
 * One probe at a time: the next is scheduled only when the last has answered (or timed out), so probes
 * never pile up on a sick node. When it starts is `nextProbeAt`'s (the node's grid while healthy, sooner
 * while failing). Each result carries the count of consecutive results before it.
 */
export function pollNode(target: ProbeTarget, options: NodeHealthSagaOptions): Observable<NodePoll> {
  const { intervalMs, scheduler } = options;
  const clock = scheduler ?? asyncScheduler;
  const probeAfter = (delayMs: number, streak: ProbeStreak): Observable<NodePoll> =>
    timer(delayMs, clock).pipe(
      concatMap(() => {
        const at = clock.now();
        return probeOnce(target, options).pipe(map((outcome) => pollOf(target, at, outcome, streak)));
      }),
    );
  return defer(() => {
    const firstDelay = options.spread ? offsetOf(target.nodeId, intervalMs) : 0;
    const cadence: ProbeCadence = { firstAt: clock.now() + firstDelay, intervalMs, retryMs: Math.min(options.retryMs, intervalMs), failThreshold: options.thresholds.failThreshold };
    return probeAfter(firstDelay, NO_STREAK).pipe(
      expand((poll) => {
        const streak = extendStreak(poll.streak, poll.result);
        const endedAt = clock.now();
        return probeAfter(nextProbeAt(cadence, streak.failures, endedAt) - endedAt, streak);
      }),
    );
  });
}

function pollOf(target: ProbeTarget, at: number, outcome: ProbeOutcome, streak: ProbeStreak): NodePoll {
  return { target, at, result: toResult(outcome), streak, meetings: outcome.ok ? outcome.meetings : null, cpu: outcome.ok ? outcome.cpu : null, memory: outcome.ok ? (outcome.memory ?? null) : null };
}

/** A stable place in the interval per node (FNV-1a of its id), the same at every restart. */
export function offsetOf(nodeId: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeId.length; i++) hash = Math.imul(hash ^ nodeId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % intervalMs;
}

/** One probe that always ends in one outcome: a timeout, an error or an empty answer become failures. */
function probeOnce(target: ProbeTarget, { prober, timeoutMs, scheduler }: NodeHealthSagaOptions): Observable<ProbeOutcome> {
  return defer(() => prober(target)).pipe(
    take(1),
    throwIfEmpty(() => new Error('the prober completed without an outcome')),
    timeout({ first: timeoutMs, with: () => of(failure('timeout', `no answer within ${timeoutMs} ms`)), ...(scheduler ? { scheduler } : {}) }),
    catchError((error: unknown) => of(failure('connection', `probe failed: ${error instanceof Error ? error.message : String(error)}`))),
  );
}

const toResult = (outcome: ProbeOutcome): ProbeResult => (outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason, detail: outcome.detail });

const failure = (reason: Exclude<ProbeResult, { ok: true }>['reason'], detail: string): ProbeOutcome => ({ ok: false, reason, detail });
