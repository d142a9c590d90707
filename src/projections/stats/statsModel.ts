/**
 * The rows of the statistics read model as the fold sees them. Times are ISO-8601 UTC strings, durations
 * integer milliseconds, days `YYYY-MM-DD` (UTC). docs/analytics.md documents the tables they become.
 */

/** Where a meeting stream is: the fold's memory between batches (`meeting_streams`). */
export interface MeetingStreamRow {
  stream: string;
  /** How many meetings this stream has started; the running one (or the last) has this number. */
  incarnation: number;
  running: boolean;
  /** From the last placement: whether the meeting was created with `record=true`. */
  recorded: boolean;
  tenant: string;
  scope: string;
  meetingID: string;
  nodeId: string;
  name: string;
  startedAt: string;
  /** When the meeting arrived on `nodeId`: its start, or its last move (absent in rows from before moves were counted: the start). */
  nodeSince?: string;
  participants: number;
  /** When `participants` last changed (participant time accrues from here). */
  participantsSince: string;
  /** When the last absolute count (a poll) was taken: joins that happened before it are in that count already. */
  countedAt?: string;
  /**
   * Joins that happened after `countedAt`, as [when, how many], in the order folded: a count taken before them
   * but appended after them does not include them, so it adds them back. Bounded (MAX_UNCOUNTED_JOINS).
   */
  uncounted?: Array<[at: string, by: number]>;
  peakParticipants: number;
  joins: number;
  participantMs: number;
}

/** One meeting from start to end (`meetings`): what analysts bill from. */
export type MeetingRow = Pick<
  MeetingStreamRow,
  'stream' | 'incarnation' | 'tenant' | 'scope' | 'meetingID' | 'nodeId' | 'name' | 'startedAt' | 'peakParticipants' | 'joins' | 'participantMs' | 'recorded'
> & {
  endedAt: string | null;
  durationMs: number | null;
  endReason: string | null;
};

export interface NodeRow {
  nodeId: string;
  url: string;
  registeredAt: string;
  adminState: string;
  health: string;
  healthSince: string | null;
  healthReason: string | null;
  healthDetail: string | null;
}

export interface HealthIntervalRow {
  nodeId: string;
  health: string;
  reason: string;
  detail: string;
  startedAt: string;
  endedAt: string | null;
}

/** Running totals of one tenant or node right now, derived from the running meeting streams. */
export interface Concurrency {
  meetings: number;
  participants: number;
}

/** What a tenant's and a node's day both count; peaks merge with GREATEST, the rest add up. */
interface DayDelta {
  day: string;
  meetings: number;
  meetingMs: number;
  participantMs: number;
  peakMeetings: number;
  peakParticipants: number;
}

/** Additions to one tenant's day (`tenant_days`). */
export interface TenantDayDelta extends DayDelta {
  tenant: string;
  failedCreates: number;
  abandonedCreates: number;
}

/** Additions to one node's day (`node_days`). */
export interface NodeDayDelta extends DayDelta {
  nodeId: string;
  failures: number;
  availableMs: number;
  unstableMs: number;
  offlineMs: number;
}

/** What a batch needs to know of earlier batches, loaded for the keys its ops touch. */
export interface StatsSnapshot {
  streams: Map<string, MeetingStreamRow>;
  nodes: Map<string, NodeRow>;
  tenantsNow: Map<string, Concurrency>;
  nodesNow: Map<string, Concurrency>;
}

/** Everything a batch writes; each map is keyed by the row's primary key. */
export interface StatsChanges {
  streams: Map<string, MeetingStreamRow>;
  meetings: Map<string, MeetingRow>;
  nodes: Map<string, NodeRow>;
  tenants: Map<string, { tenant: string; registeredAt: string }>;
  healthIntervals: Map<string, HealthIntervalRow>;
  tenantDays: Map<string, TenantDayDelta>;
  nodeDays: Map<string, NodeDayDelta>;
}

export const emptySnapshot = (): StatsSnapshot => ({ streams: new Map(), nodes: new Map(), tenantsNow: new Map(), nodesNow: new Map() });

/** Running totals of `key` after adding to them (never below 0). */
export function bumpConcurrency(map: Map<string, Concurrency>, key: string, meetings: number, participants: number): Concurrency {
  let now = map.get(key);
  if (!now) {
    now = { meetings: 0, participants: 0 };
    map.set(key, now);
  }
  // In place: a replay bumps these twice per op.
  now.meetings = Math.max(0, now.meetings + meetings);
  now.participants = Math.max(0, now.participants + participants);
  return now;
}

/** The `meetings` row of a meeting stream's current incarnation, still running. */
export function meetingOf(row: MeetingStreamRow): MeetingRow {
  const { stream, incarnation, tenant, scope, meetingID, nodeId, name, startedAt, peakParticipants, joins, participantMs, recorded } = row;
  return { stream, incarnation, tenant, scope, meetingID, nodeId, name, startedAt, endedAt: null, durationMs: null, endReason: null, peakParticipants, joins, participantMs, recorded };
}
