import type { SeatRole } from '../../domain/delivery/hookMessages.js';

/**
 * Participant counts turned into bbb-webhooks' per-user messages. Joins bbb-ledger redirected (MeetingJoined)
 * are announced at once; a poll (MeetingParticipantsChanged) announces the difference to what was announced:
 * more (dial-in, joins the node saw first) as joins, fewer as leaves. A user just redirected may not be in the
 * meeting yet at the next poll, so the joins announced since the previous poll get one poll of grace before
 * they count as gone: no left-then-joined flapping. Per role, from the poll's moderator count.
 */
export interface RoleSeats {
  /** Seats announced (joined minus left). */
  announced: number;
  /** Joins announced since the last poll. */
  recent: number;
}

export type MeetingSeats = Record<SeatRole, RoleSeats>;

/** One message to send: a seat joined or left, numbered in its role (the n-th moderator seat). */
export interface SeatChange {
  id: 'user-joined' | 'user-left';
  role: SeatRole;
  seat: number;
}

export const ROLES: readonly SeatRole[] = ['MODERATOR', 'VIEWER'];

export const emptySeats = (): MeetingSeats => ({ MODERATOR: { announced: 0, recent: 0 }, VIEWER: { announced: 0, recent: 0 } });

/** Joins we redirected: each one a user-joined. Changes `seats` in place. */
export function joined(seats: MeetingSeats, role: SeatRole, count: number): SeatChange[] {
  const changes: SeatChange[] = [];
  const r = seats[role];
  for (let i = 0; i < count; i++) changes.push({ id: 'user-joined', role, seat: ++r.announced });
  r.recent += count;
  return changes;
}

/** A poll's count for `role`. Changes `seats` in place. */
export function polled(seats: MeetingSeats, role: SeatRole, count: number): SeatChange[] {
  const r = seats[role];
  const changes: SeatChange[] = [];
  while (r.announced < count) changes.push({ id: 'user-joined', role, seat: ++r.announced });
  // Seats older than the last poll that the poll no longer sees have left; recent ones wait one more poll.
  const settled = r.announced - r.recent;
  for (let gone = settled - count; gone > 0; gone--) changes.push({ id: 'user-left', role, seat: r.announced-- });
  r.recent = 0;
  return changes;
}

/** The meeting ended: every seat announced leaves (before meeting-ended, as BBB's users do). */
export function everyoneLeft(seats: MeetingSeats): SeatChange[] {
  const changes: SeatChange[] = [];
  for (const role of ROLES) {
    const r = seats[role];
    while (r.announced > 0) changes.push({ id: 'user-left', role, seat: r.announced-- });
    r.recent = 0;
  }
  return changes;
}
