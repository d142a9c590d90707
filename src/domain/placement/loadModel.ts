import type { PlacementNode } from './placement.js';
import { reservedOn, type Reservation } from './reservations.js';

/**
 * The load model's knobs, all from `LOAD_*` configuration (src/config.ts says what each means and why its
 * default is what it is). Loads are in "participant equivalents": one participant weighs `participant`.
 */
export interface LoadWeights {
  /** B3LB's `a`: weight of one participant. */
  participant: number;
  /** B3LB's `m`: weight of one meeting, however empty (a meeting about to fill up). */
  meeting: number;
  /** Weight of one breakout room; its participants are already counted in `participants`. */
  breakoutMeeting: number;
  /** B3LB's `cpu_max`: what a node at 100 % CPU adds. */
  cpuMax: number;
  /** B3LB's `cpu_order` (iterations of the polynomial): the higher, the flatter at low CPU and the steeper near 100 %. */
  cpuOrder: number;
  /** BBBLB's reserved seats: participants a new meeting is assumed to bring before any poll shows them. */
  reservedSeats: number;
  /** Cap on `meta_bbb-meeting-size-hint`, so a client cannot reserve a node for itself. */
  sizeHintMax: number;
  /** How long reserved seats take to decay linearly to 0. */
  cooldownMs: number;
}

/** One node's load, term by term (for tests, logs and the admin API). */
export interface LoadBreakdown {
  participants: number;
  meetings: number;
  breakoutMeetings: number;
  cpu: number;
  /** Reserved seats and meetings placed by this instance that the node directory does not count yet. */
  reserved: number;
  total: number;
}

/**
 * B3LB's CPU polynomial on a 0–1 busy share `s`: (cpuMax / order) · Σ_{n=1..order} sⁿ. Equal to B3LB's
 * `(cpu/10000)^n` with cpu = s·10000. Near-linear while the node is idle, cpuMax at 100 %.
 * A node that reports no CPU (`null` or absent) adds nothing: unknown is not the same as busy.
 */
export function cpuLoad(cpu: number | null | undefined, weights: Pick<LoadWeights, 'cpuMax' | 'cpuOrder'>): number {
  if (cpu === undefined || cpu === null || !Number.isFinite(cpu) || weights.cpuOrder < 1) return 0;
  const share = Math.min(1, Math.max(0, cpu));
  let sum = 0;
  let power = 1;
  for (let n = 1; n <= weights.cpuOrder; n++) {
    power *= share;
    sum += power;
  }
  return (weights.cpuMax / weights.cpuOrder) * sum;
}

/**
 * loadFactor · (a·(participants + reserved seats) + m·(meetings + meetings placed but not yet projected)
 * + breakoutWeight·breakouts) + cpu polynomial.
 *
 * The load factor scales what is counted (a smaller machine fills up faster in participants and meetings),
 * not the CPU term: CPU is measured on the machine itself and already reflects its size.
 */
export function loadBreakdown(node: PlacementNode, weights: LoadWeights, now: number, reservations: readonly Reservation[] = []): LoadBreakdown {
  const reserved = reservedOn(node.id, reservations, weights.cooldownMs, now);
  const factor = node.loadFactor;
  const participants = factor * weights.participant * node.participants;
  const meetings = factor * weights.meeting * node.meetings;
  const breakoutMeetings = factor * weights.breakoutMeeting * (node.breakoutMeetings ?? 0);
  const reservedLoad = factor * (weights.participant * reserved.seats + weights.meeting * reserved.meetings);
  // The busier of CPU and memory: a node out of memory is as full as one out of CPU.
  const cpu = cpuLoad(node.memory != null && (node.cpu == null || node.memory > node.cpu) ? node.memory : node.cpu, weights);
  return { participants, meetings, breakoutMeetings, cpu, reserved: reservedLoad, total: participants + meetings + breakoutMeetings + cpu + reservedLoad };
}

export function nodeLoad(node: PlacementNode, weights: LoadWeights, now: number, reservations: readonly Reservation[] = []): number {
  return loadBreakdown(node, weights, now, reservations).total;
}
