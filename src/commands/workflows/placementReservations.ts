import { isExpired, type Reservation } from '../../domain/placement/reservations.js';

/** Names one reservation (by identity), so settling an old one never touches the reservation of a later attempt. */
export type ReservationTicket = { readonly meeting: string; readonly nodeId: string };

/**
 * The placements this process made, in its own memory: the thin stateful shell around the pure choice.
 * A create ranks the nodes with `active()` and calls `reserve()` in the same synchronous step, so the next
 * create (even one already waiting on I/O) ranks with it counted. `settle()` hands the meeting part over
 * to the node directory once it has projected the placement; the seats keep decaying here.
 *
 * Across LB instances: each instance sees its own reservations at once and the others' placements once
 * its node directory has projected them (milliseconds to a second); ghost seats stay per instance until
 * polls show real participants. Instances placing a burst at the same moment can therefore double up on a
 * node by a few meetings; they converge on the projected counts.
 */
export class PlacementReservations {
  private readonly byMeeting = new Map<string, { reservation: Reservation; ticket: ReservationTicket }>();

  constructor(
    private readonly cooldownMs: number,
    /** Epoch milliseconds; the clock reservations decay by. */
    readonly now: () => number,
  ) {}

  /** Every reservation that still counts; expired ones are dropped on the way. */
  active(): Reservation[] {
    const now = this.now();
    const live: Reservation[] = [];
    for (const [meeting, { reservation }] of this.byMeeting) {
      if (isExpired(reservation, this.cooldownMs, now)) this.byMeeting.delete(meeting);
      else live.push(reservation);
    }
    return live;
  }

  /** Puts the meeting's load on `nodeId`, replacing what it had reserved elsewhere (a retry after a failure). */
  reserve(meeting: string, nodeId: string, seats: number): ReservationTicket {
    const ticket: ReservationTicket = { meeting, nodeId };
    this.byMeeting.set(meeting, { reservation: { meeting, nodeId, seats, at: this.now(), countsMeeting: true }, ticket });
    return ticket;
  }

  /** The node directory counts the meeting now: only the seats remain reserved. */
  settle(ticket: ReservationTicket): void {
    const current = this.byMeeting.get(ticket.meeting);
    if (current?.ticket === ticket) current.reservation = { ...current.reservation, countsMeeting: false };
  }

  /** The placement did not happen or did not last (another node was chosen, the create failed). */
  release(ticket: ReservationTicket): void {
    if (this.byMeeting.get(ticket.meeting)?.ticket === ticket) this.byMeeting.delete(ticket.meeting);
  }
}
