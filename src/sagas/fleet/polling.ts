import type { NodeEvent } from '../../domain/node/events.js';
import { extendStreak, NO_STREAK, type ProbeStreak } from '../../domain/node/health.js';
import { nextProbeAt, type ProbeCadence } from '../../domain/node/probeCadence.js';
import type { CallResult, Effect } from '../process/process.js';
import type { ProbeOutcome, ProbeTarget } from '../nodeProber.js';
import type { NodePoll } from './pollReaction.js';

export interface PollOptions {
  /** `POLL_INTERVAL_MS` */
  intervalMs: number;
  /** `POLL_RETRY_MS`: after a failed probe the next comes this soon (capped at the interval), until the node is offline. */
  retryMs: number;
  /** `POLL_TIMEOUT_MS`: a probe still running then counts as a `timeout` failure and is cancelled. */
  timeoutMs: number;
  /** `HEALTH_FAIL_THRESHOLD`: a node failing that often in a row is offline, and back on its grid. */
  failThreshold: number;
  /**
   * Spread the first polls of the nodes over the interval (by a hash of the node id), so 1,000 nodes are
   * not asked, answered and parsed in one burst every interval. Off in tests that count frames.
   */
  spread?: boolean;
  /** `NODE_LOAD_PATH`: the load endpoint on every node's origin (e.g. `/b3lb/load`); absent = none. */
  loadPath?: string;
}

/** One node's poll loop: what to probe, its rhythm, and the results in a row so far. */
export interface Polling {
  target: ProbeTarget;
  cadence: ProbeCadence;
  /** Consecutive results up to the last answer. */
  streak: ProbeStreak;
}

export const POLL_TICK = 'poll';

/**
 * One loop per node: it starts at registration and stops when the node is removed (a decommissioned node
 * is polled while its meetings run); admin and health changes leave the loop (and its rhythm) alone. One
 * probe at a time: the next is scheduled only when the last has answered (or timed out), so probes never
 * pile up on a sick node. The only loop per node: health, load and reconciliation all read its polls.
 */
export function pollingAfter(polling: Polling | undefined, event: NodeEvent, at: number, options: PollOptions): { polling: Polling | undefined; effects: Effect[] } {
  const target = probeTargetAfter(polling?.target, event, options.loadPath);
  if (target === polling?.target) return { polling, effects: [] };
  const nodeId = event.data.nodeId;
  const cancel: Effect[] = polling ? [{ kind: 'cancel', id: `${nodeId}/cancel@${at}`, key: nodeId }] : [];
  if (!target) return { polling: undefined, effects: cancel };
  const firstAt = at + (options.spread ? offsetOf(nodeId, options.intervalMs) : 0);
  const cadence = { firstAt, intervalMs: options.intervalMs, retryMs: Math.min(options.retryMs, options.intervalMs), failThreshold: options.failThreshold };
  return { polling: { target, cadence, streak: NO_STREAK }, effects: [...cancel, schedulePoll(nodeId, firstAt)] };
}

/** A poll tick: probe the node now. */
export function probeEffect(polling: Polling, options: PollOptions, at: number): Effect {
  return { kind: 'callNode', id: `${polling.target.nodeId}/${at}`, key: polling.target.nodeId, call: { call: 'probe', target: polling.target }, timeoutMs: options.timeoutMs };
}

/** A probe's answer: the poll it makes (with the streak before it), the streak after it, and when the next probe starts. */
export function pollAnswered(polling: Polling, startedAt: number, result: CallResult, endedAt: number): { poll: NodePoll; polling: Polling; next: Effect } {
  const outcome = outcomeOf(result);
  const poll: NodePoll = {
    target: polling.target,
    at: startedAt,
    result: outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason, detail: outcome.detail },
    streak: polling.streak,
    meetings: outcome.ok ? outcome.meetings : null,
    cpu: outcome.ok ? outcome.cpu : null,
    memory: outcome.ok ? (outcome.memory ?? null) : null,
  };
  const streak = extendStreak(poll.streak, poll.result);
  return { poll, polling: { ...polling, streak }, next: schedulePoll(polling.target.nodeId, nextProbeAt(polling.cadence, streak.failures, endedAt)) };
}

const schedulePoll = (nodeId: string, at: number): Effect => ({ kind: 'schedule', id: `${nodeId}/poll@${at}`, key: nodeId, at, tick: POLL_TICK });

/** A timeout or a thrown prober is a failed probe like any other. */
function outcomeOf(result: CallResult): ProbeOutcome {
  if (result.ok) return result.value as ProbeOutcome;
  return result.reason === 'timeout' ? { ok: false, reason: 'timeout', detail: result.detail } : { ok: false, reason: 'connection', detail: `probe failed: ${result.detail}` };
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

/** A stable place in the interval per node (FNV-1a of its id), the same at every restart. */
export function offsetOf(nodeId: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeId.length; i++) hash = Math.imul(hash ^ nodeId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % intervalMs;
}

