import type { MeetingEvent } from '../meeting/events.js';

/** One running meeting as limits count it. */
interface CountedMeeting {
  tenant: string;
  scope: string;
  /** participantCount of the last poll (MeetingParticipantsChanged). */
  polled: number;
  /** Joins in MeetingJoined events since that poll. */
  joins: number;
  /** Joins this process redirected since that poll (not yet in the log, or already: see `participantsOf`). */
  local: number;
}

export interface UsageTotals {
  meetings: number;
  participants: number;
}

/**
 * What every tenant and scope uses right now, from meeting events: running meetings and participants (the
 * last poll's plus the joins sent since). Updated in place, each event in O(1), so a join's limit check is two
 * map lookups. Pure: no clock, no I/O; the limits saga and the in-process gate fold the same events with it.
 */
export class TenantUsage {
  private readonly meetings = new Map<string, CountedMeeting>();
  private readonly totals = new Map<string, UsageTotals>();

  /** Totals of a tenant (all its scopes) when `key` is a tenant name, of one scope when it is `acme-007`. */
  of(key: string): Readonly<UsageTotals> {
    return this.totals.get(key) ?? ZERO;
  }

  isRunning(scope: string, meetingID: string): boolean {
    return this.meetings.has(keyOf(scope, meetingID));
  }

  apply(event: MeetingEvent): void {
    const { scope, meetingID } = event.data;
    const key = keyOf(scope, meetingID);
    const meeting = this.meetings.get(key);
    switch (event.type) {
      case 'MeetingCreated':
        if (meeting) return;
        this.meetings.set(key, { tenant: event.data.tenant, scope, polled: 0, joins: 0, local: 0 });
        this.add(event.data.tenant, scope, 1, 0);
        return;
      case 'MeetingMoved':
        // Everybody joins again on the new node; until its first poll, joins count afresh.
        return meeting && this.recount(meeting, () => Object.assign(meeting, { polled: 0, joins: 0, local: 0 }));
      case 'MeetingJoined':
        return meeting && this.recount(meeting, () => (meeting.joins += event.data.moderators + event.data.viewers));
      case 'MeetingParticipantsChanged':
        return meeting && this.recount(meeting, () => Object.assign(meeting, { polled: event.data.participantCount, joins: 0, local: 0 }));
      case 'MeetingEnded':
      case 'MeetingCreateAbandoned':
        if (!meeting) return;
        this.meetings.delete(key);
        this.add(meeting.tenant, scope, -1, -participantsOf(meeting));
        return;
      case 'MeetingPlaced':
      case 'MeetingCreateFailed':
      case 'MeetingCreateRefused':
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  /** A join this process redirected, counted at once (before its MeetingJoined reaches the log). */
  countLocalJoin(scope: string, meetingID: string): void {
    const meeting = this.meetings.get(keyOf(scope, meetingID));
    if (meeting) this.recount(meeting, () => (meeting.local += 1));
  }

  private recount(meeting: CountedMeeting, change: () => void): void {
    const before = participantsOf(meeting);
    change();
    this.add(meeting.tenant, meeting.scope, 0, participantsOf(meeting) - before);
  }

  private add(tenant: string, scope: string, meetings: number, participants: number): void {
    for (const key of tenant === scope ? [tenant] : [tenant, scope]) {
      const totals = this.totals.get(key) ?? { meetings: 0, participants: 0 };
      totals.meetings += meetings;
      totals.participants += participants;
      if (totals.meetings === 0 && totals.participants <= 0) this.totals.delete(key);
      else this.totals.set(key, totals);
    }
  }
}

const ZERO: Readonly<UsageTotals> = Object.freeze({ meetings: 0, participants: 0 });

const keyOf = (scope: string, meetingID: string): string => `${scope}\n${meetingID}`;

/**
 * This process's own joins reach the log as MeetingJoined a window later, so `joins` and `local` overlap: the
 * larger of the two never counts a join twice. Joins another instance sent show up in `joins` only.
 */
const participantsOf = (m: CountedMeeting): number => m.polled + Math.max(m.joins, m.local);
