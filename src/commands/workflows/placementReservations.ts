import { isExpired, type Reservation } from '../../domain/placement/reservations.js';

/** Names one reservation (by identity), so settling an old one never touches the reservation of a later attempt. */
export type ReservationTicket = { readonly meeting: string; readonly nodeId: string };

type Entry = { reservation: Reservation; ticket: ReservationTicket };

/** Per node: Σ seats and Σ seats · (at − base) of its live reservations, for the load summary. */
type SeatSums = { seats: number; weightedAt: number };

/**
 * The placements this process made, in its own memory: the thin stateful shell around the pure choice.
 * A create ranks the nodes with `summary()` and calls `reserve()` in the same synchronous step, so the next
 * create (even one already waiting on I/O) ranks with it counted. `settle()` hands the meeting part over
 * to the node directory once it has projected the placement; the seats keep decaying here.
 *
 * Across LB instances: each instance sees its own reservations at once and the others' placements once
 * its node directory has projected them (milliseconds to a second); ghost seats stay per instance until
 * polls show real participants. Instances placing a burst at the same moment can therefore double up on a
 * node by a few meetings; they converge on the projected counts.
 */
export class PlacementReservations {
  private readonly byMeeting = new Map<string, Entry>();
  /** Entries in the order they were made (so in expiry order); replaced ones are skipped when reached. */
  private queue: Entry[] = [];
  private head = 0;
  private readonly sums = new Map<string, SeatSums>();
  private readonly unsettled = new Set<Entry>();
  private readonly base: number;
  /** The last summary, until a reservation is made, settled, released or expires: one list per ranking or scrape. */
  private summarised: Reservation[] | undefined;

  constructor(
    private readonly cooldownMs: number,
    /** Epoch milliseconds; the clock reservations decay by. */
    readonly now: () => number,
  ) {
    this.base = now();
  }

  /** Every reservation that still counts; expired ones are dropped on the way. */
  active(): Reservation[] {
    this.expire(this.now());
    return [...this.byMeeting.values()].map((e) => e.reservation);
  }

  /**
   * The same load as `active()` on every node, in as few reservations as give it: per node one of all its
   * seats (seats decaying linearly sum to seats decaying linearly from their weighted mean time), plus the
   * meetings not yet settled. A burst holds one reservation per create for the whole cool-down (300 s by
   * default): ranking with every one of them made each create cost O(creates in the cool-down).
   */
  summary(): Reservation[] {
    this.expire(this.now());
    if (this.summarised) return this.summarised;
    const summary: Reservation[] = [];
    for (const [nodeId, { seats, weightedAt }] of this.sums) {
      if (seats > 0) summary.push({ meeting: `~seats@${nodeId}`, nodeId, seats, at: this.base + weightedAt / seats, countsMeeting: false });
    }
    for (const { reservation } of this.unsettled) summary.push({ ...reservation, seats: 0 });
    this.summarised = summary;
    return summary;
  }

  /** Puts the meeting's load on `nodeId`, replacing what it had reserved elsewhere (a retry after a failure). */
  reserve(meeting: string, nodeId: string, seats: number): ReservationTicket {
    const previous = this.byMeeting.get(meeting);
    if (previous) this.remove(previous);
    const ticket: ReservationTicket = { meeting, nodeId };
    const entry: Entry = { reservation: { meeting, nodeId, seats, at: this.now(), countsMeeting: true }, ticket };
    this.byMeeting.set(meeting, entry);
    this.unsettled.add(entry);
    this.add(entry.reservation, 1);
    this.queue.push(entry);
    return ticket;
  }

  /** The node directory counts the meeting now: only the seats remain reserved. */
  settle(ticket: ReservationTicket): void {
    const current = this.byMeeting.get(ticket.meeting);
    if (current?.ticket !== ticket) return;
    current.reservation = { ...current.reservation, countsMeeting: false };
    this.unsettled.delete(current);
    this.summarised = undefined;
  }

  /** The placement did not happen or did not last (another node was chosen, the create failed). */
  release(ticket: ReservationTicket): void {
    const current = this.byMeeting.get(ticket.meeting);
    if (current?.ticket === ticket) this.remove(current);
  }

  private remove(entry: Entry): void {
    this.byMeeting.delete(entry.reservation.meeting);
    this.unsettled.delete(entry);
    this.add(entry.reservation, -1);
  }

  private add(reservation: Reservation, sign: 1 | -1): void {
    this.summarised = undefined;
    const sums = this.sums.get(reservation.nodeId) ?? { seats: 0, weightedAt: 0 };
    sums.seats += sign * reservation.seats;
    sums.weightedAt += sign * reservation.seats * (reservation.at - this.base);
    if (sums.seats <= 0) this.sums.delete(reservation.nodeId);
    else this.sums.set(reservation.nodeId, sums);
  }

  private expire(now: number): void {
    while (this.head < this.queue.length && isExpired(this.queue[this.head]!.reservation, this.cooldownMs, now)) {
      const entry = this.queue[this.head++]!;
      if (this.byMeeting.get(entry.reservation.meeting) === entry) this.remove(entry);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
