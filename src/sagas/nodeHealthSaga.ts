import {
  catchError,
  defer,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
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
import { isNodeEvent } from '../commands/nodeCommands.js';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import type { RecordProbeResult } from '../domain/node/commands.js';
import type { NodeEvent } from '../domain/node/events.js';
import { extendStreak, NO_STREAK, type HealthThresholds, type ProbeResult, type ProbeStreak } from '../domain/node/health.js';
import type { NodeProber, ProbeOutcome, ProbeTarget } from './nodeProber.js';

export interface NodeHealthSagaOptions {
  prober: NodeProber;
  /** `POLL_INTERVAL_MS` */
  intervalMs: number;
  /** `POLL_TIMEOUT_MS`: a probe still running then counts as a `timeout` failure and is cancelled. */
  timeoutMs: number;
  thresholds: HealthThresholds;
  /** Virtual time in tests; the async scheduler otherwise. */
  scheduler?: SchedulerLike;
}

/**
 * Node events → RecordProbeResult commands. Per registered node a poll loop starts at once and stops when
 * the node is decommissioned; admin and health changes leave the loop (and its rhythm) alone.
 */
export function nodeHealthSaga(events$: Observable<DomainEvent>, options: NodeHealthSagaOptions): Observable<RecordProbeResult> {
  return events$.pipe(
    filter(isNodeEvent),
    groupBy((event) => event.data.nodeId),
    mergeMap((node$) =>
      node$.pipe(
        scan(probeTargetAfter, undefined),
        distinctUntilChanged(),
        switchMap((target) => (target ? pollNode(target, options) : EMPTY)),
      ),
    ),
  );
}

/** The pure fold: what to probe for one node after its event, or nothing. Unchanged means the same object. */
export function probeTargetAfter(target: ProbeTarget | undefined, event: NodeEvent): ProbeTarget | undefined {
  switch (event.type) {
    case 'NodeRegistered': {
      const { nodeId, url, secret, checksumAlgorithm } = event.data;
      return { nodeId, apiUrl: url, secret, checksumAlgorithm };
    }
    case 'NodeDecommissioned':
      return undefined;
    default:
      // Disabled and cordoned nodes are still probed, so an operator sees their health before enabling them.
      return target;
  }
}

/**
 * `timer` + `exhaustMap`: a probe slower than the interval swallows the ticks it overlaps instead of
 * piling up requests on a sick node. Each result carries the count of consecutive results before it.
 */
export function pollNode(target: ProbeTarget, options: NodeHealthSagaOptions): Observable<RecordProbeResult> {
  const { intervalMs, thresholds, scheduler } = options;
  return timer(0, intervalMs, scheduler).pipe(
    exhaustMap(() => probeOnce(target, options)),
    scan(
      (previous: { streak: ProbeStreak; command?: RecordProbeResult }, result: ProbeResult) => ({
        streak: extendStreak(previous.streak, result),
        command: { type: 'RecordProbeResult' as const, data: { nodeId: target.nodeId, result, streak: previous.streak, thresholds } },
      }),
      { streak: NO_STREAK },
    ),
    map(({ command }) => command!),
  );
}

/** One probe that always ends in one result: a timeout, an error or an empty answer become failures. */
function probeOnce(target: ProbeTarget, { prober, timeoutMs, scheduler }: NodeHealthSagaOptions): Observable<ProbeResult> {
  return defer(() => prober(target)).pipe(
    take(1),
    throwIfEmpty(() => new Error('the prober completed without an outcome')),
    map(toResult),
    timeout({ first: timeoutMs, with: () => of(failure('timeout', `no answer within ${timeoutMs} ms`)), ...(scheduler ? { scheduler } : {}) }),
    catchError((error: unknown) => of(failure('connection', `probe failed: ${error instanceof Error ? error.message : String(error)}`))),
  );
}

const toResult = (outcome: ProbeOutcome): ProbeResult => (outcome.ok ? { ok: true } : failure(outcome.reason, outcome.detail));

const failure = (reason: Exclude<ProbeResult, { ok: true }>['reason'], detail: string): ProbeResult => ({ ok: false, reason, detail });
