import type { NodeAdminState } from '../node/events.js';
import type { AutoscaleRecommendation, AutoscaleRecommendationChanged, ScaleDirection } from './events.js';

/** The seed autoscaler's knobs (`AUTOSCALE_*`, `MINIMUM_ACTIVE_MACHINES`; src/config.ts says what each means). */
export interface AutoscalePolicy {
  /** 0-1: above this mean utilisation the cluster needs a node more. */
  highWatermark: number;
  /** 0-1: below it one node fewer would do. */
  lowWatermark: number;
  /** Active nodes never recommended below this (`MINIMUM_ACTIVE_MACHINES`). */
  minimumNodes: number;
  /** After a change, no other change for this long: nodes take minutes to boot or drain. */
  cooldownMs: number;
  /** Participants a node of load factor 1 carries at full utilisation. */
  participantsPerNode: number;
}

/** What the signal needs of a node: the node directory's view plus memory when the agent reports it. */
export interface AutoscaleNode {
  id: string;
  adminState: NodeAdminState;
  health: 'available' | 'unstable' | 'offline';
  meetings: number;
  participants: number;
  /** 0-1 shares from the node agent; null when not reported. */
  cpu: number | null;
  memory: number | null;
  loadFactor: number;
}

/** The last recorded recommendation and when it was recorded (ms). */
export interface AutoscaleState {
  last: AutoscaleRecommendation | undefined;
  changedAt: number | undefined;
}

export const INITIAL_AUTOSCALE_STATE: AutoscaleState = { last: undefined, changedAt: undefined };

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * A node's utilisation: the busiest of CPU, memory and participants against its capacity (a smaller machine,
 * a higher load factor, fills up sooner). Unknown CPU or memory is not counted as busy.
 */
export function nodeUtilisation(node: AutoscaleNode, policy: Pick<AutoscalePolicy, 'participantsPerNode'>): number {
  const seats = (node.participants * node.loadFactor) / policy.participantsPerNode;
  return Math.max(node.cpu ?? 0, node.memory ?? 0, seats);
}

/**
 * The recommendation for the fleet as it is now. Active nodes are enabled and available; the others carry
 * nothing new. The desired count brings the mean utilisation to the middle of the watermarks, one node at
 * least in the recommended direction, never below the minimum.
 */
export function recommend(nodes: readonly AutoscaleNode[], policy: AutoscalePolicy): AutoscaleRecommendation {
  const active = nodes.filter((n) => n.adminState === 'enabled' && n.health === 'available');
  const total = active.reduce((sum, n) => sum + nodeUtilisation(n, policy), 0);
  const utilisation = active.length === 0 ? 0 : total / active.length;
  const target = (policy.highWatermark + policy.lowWatermark) / 2;
  const needed = target > 0 ? Math.ceil(total / target) : active.length;
  // The drain saga disables a cordoned node at the first poll that finds it empty: drained is disabled, or
  // cordoned and not yet seen empty by that poll.
  const drained = nodes.filter((n) => (n.adminState === 'cordoned' || n.adminState === 'disabled') && n.meetings === 0 && n.participants === 0).map((n) => n.id).sort()[0] ?? null;
  const base = {
    activeNodes: active.length,
    utilisation: round(utilisation),
    participants: nodes.reduce((sum, n) => sum + n.participants, 0),
    meetings: nodes.reduce((sum, n) => sum + n.meetings, 0),
    highWatermark: policy.highWatermark,
    lowWatermark: policy.lowWatermark,
    minimumNodes: policy.minimumNodes,
  };
  if (active.length < policy.minimumNodes) {
    return { ...base, recommendation: 1, desiredNodes: Math.max(policy.minimumNodes, needed), removeNodeId: null, reason: 'belowMinimum' };
  }
  if (utilisation > policy.highWatermark) {
    return { ...base, recommendation: 1, desiredNodes: Math.max(active.length + 1, needed), removeNodeId: null, reason: 'aboveHighWatermark' };
  }
  if (utilisation < policy.lowWatermark && active.length > policy.minimumNodes) {
    const desiredNodes = Math.max(policy.minimumNodes, Math.min(active.length - 1, needed));
    return { ...base, recommendation: -1, desiredNodes, removeNodeId: drained, reason: 'belowLowWatermark' };
  }
  return { ...base, recommendation: 0, desiredNodes: active.length, removeNodeId: drained, reason: 'withinWatermarks' };
}

/** Whether two recommendations differ in what an operator or an autoscaler acts on. */
function differs(a: AutoscaleRecommendation, b: AutoscaleRecommendation): boolean {
  return a.recommendation !== b.recommendation || a.desiredNodes !== b.desiredNodes || a.removeNodeId !== b.removeNodeId;
}

/**
 * The process's reaction to a tick: an event when the recommendation changed and the cool-down since the
 * last change is over; nothing otherwise.
 */
export function reactToTick(state: AutoscaleState, nodes: readonly AutoscaleNode[], policy: AutoscalePolicy, now: number): AutoscaleRecommendationChanged | undefined {
  const next = recommend(nodes, policy);
  if (state.last && !differs(state.last, next)) return undefined;
  if (state.changedAt !== undefined && now - state.changedAt < policy.cooldownMs) return undefined;
  const previous: ScaleDirection | null = state.last?.recommendation ?? null;
  return { type: 'AutoscaleRecommendationChanged', data: { ...next, previous } };
}

/** The state after a recorded change; `at` is the event's time (ms). */
export function evolveAutoscale(_state: AutoscaleState, event: AutoscaleRecommendationChanged, at: number): AutoscaleState {
  const { previous: _previous, ...last } = event.data;
  return { last, changedAt: at };
}
