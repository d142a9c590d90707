import type { LoadWeights } from './loadModel.js';

/**
 * Load a placement adds to its node at once, before any event is projected or any poll has seen a join
 * (BBBLB's "ghost" seats). Without it a burst of creates all read the same loads and pile onto one node.
 */
export interface Reservation {
  /** The meeting's stream id: one reservation per meeting. */
  meeting: string;
  nodeId: string;
  /** Participants expected; they decay linearly to 0 over the cool-down. */
  seats: number;
  /** Epoch milliseconds of the placement. */
  at: number;
  /** True until the node directory counts the meeting itself; then only the seats remain. */
  countsMeeting: boolean;
}

/** Seats left at `now`: all of them at placement, none after the cool-down. */
export function remainingSeats(reservation: Reservation, cooldownMs: number, now: number): number {
  const age = Math.max(0, now - reservation.at);
  if (cooldownMs <= 0 || age >= cooldownMs) return 0;
  return reservation.seats * (1 - age / cooldownMs);
}

/**
 * Nothing of it counts any more. The meeting part expires with the seats too, so a directory that never
 * catches up (a stopped projection) cannot keep a node looking busy forever.
 */
export function isExpired(reservation: Reservation, cooldownMs: number, now: number): boolean {
  return now - reservation.at >= cooldownMs;
}

type Reserved = { seats: number; meetings: number };

/** What the reservations on one node add: seats (decayed) and meetings not yet in the directory. */
export function reservedOn(nodeId: string, reservations: readonly Reservation[], cooldownMs: number, now: number): Reserved {
  if (reservations.length < GROUP_FROM) return sumOf(reservations, nodeId, cooldownMs, now);
  let grouped = groupedTotals.get(reservations);
  if (!grouped || grouped.cooldownMs !== cooldownMs || grouped.now !== now) {
    grouped = { cooldownMs, now, byNode: new Map() };
    for (const r of reservations) {
      if (isExpired(r, cooldownMs, now)) continue;
      const totals = grouped.byNode.get(r.nodeId) ?? { seats: 0, meetings: 0 };
      totals.seats += remainingSeats(r, cooldownMs, now);
      if (r.countsMeeting) totals.meetings += 1;
      grouped.byNode.set(r.nodeId, totals);
    }
    groupedTotals.set(reservations, grouped);
  }
  const totals = grouped.byNode.get(nodeId);
  return totals ? { ...totals } : { seats: 0, meetings: 0 };
}

/**
 * A ranking asks once per node for the same list of reservations, and a burst holds thousands (one per create
 * within the cool-down): past a few, they are summed per node once per list, not once per node.
 */
const GROUP_FROM = 32;
const groupedTotals = new WeakMap<readonly Reservation[], { cooldownMs: number; now: number; byNode: Map<string, Reserved> }>();

function sumOf(reservations: readonly Reservation[], nodeId: string, cooldownMs: number, now: number): Reserved {
  let seats = 0;
  let meetings = 0;
  for (const r of reservations) {
    if (r.nodeId !== nodeId || isExpired(r, cooldownMs, now)) continue;
    seats += remainingSeats(r, cooldownMs, now);
    if (r.countsMeeting) meetings += 1;
  }
  return { seats, meetings };
}

const WHOLE_NUMBER = /^\d{1,9}$/;

/**
 * Seats to reserve for a new meeting: the client's `meta_bbb-meeting-size-hint` (Moodle sends the enrolled
 * count) capped at `sizeHintMax`, or the configured default when absent or not a whole number. A small hint
 * is believed: a 1:1 meeting should not block 20 seats.
 */
export function seatsFor(sizeHint: string | undefined, weights: Pick<LoadWeights, 'reservedSeats' | 'sizeHintMax'>): number {
  const hint = sizeHint?.trim();
  if (hint === undefined || !WHOLE_NUMBER.test(hint)) return weights.reservedSeats;
  return Math.min(Number(hint), weights.sizeHintMax);
}
