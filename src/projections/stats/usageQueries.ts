import type pg from 'pg';
import { quoteIdent } from '../../postgres/sqlNames.js';

/** One tenant's day, as the `tenant_daily_usage` view shows it (minutes with two decimals). */
export interface TenantDayUsage {
  tenant: string;
  day: string;
  meetings: number;
  meetingMinutes: number;
  participantMinutes: number;
  peakConcurrentMeetings: number;
  peakConcurrentParticipants: number;
  failedCreates: number;
  abandonedCreates: number;
}

export const TENANT_DAY_COLUMNS = [
  ['tenant', 'tenant'], ['day', 'day'], ['meetings', 'meetings'], ['meetingMinutes', 'meeting_minutes'], ['participantMinutes', 'participant_minutes'],
  ['peakConcurrentMeetings', 'peak_concurrent_meetings'], ['peakConcurrentParticipants', 'peak_concurrent_participants'],
  ['failedCreates', 'failed_creates'], ['abandonedCreates', 'abandoned_creates'],
] as const satisfies ReadonlyArray<readonly [keyof TenantDayUsage, string]>;

/** Reads the analyst views of the statistics (the active generation, whichever it is). */
export class UsageQueries {
  constructor(
    private readonly pool: pg.Pool,
    private readonly base: string,
  ) {}

  /** Days `from`…`to` (inclusive, `YYYY-MM-DD`), by tenant then day; every tenant when `tenant` is undefined. */
  async tenantDays(tenant: string | undefined, from: string, to: string): Promise<TenantDayUsage[]> {
    const { rows } = await this.pool.query<TenantDayUsage>(
      `SELECT tenant, day::text AS day, meetings, meeting_minutes::float8 AS "meetingMinutes", participant_minutes::float8 AS "participantMinutes",
              peak_concurrent_meetings AS "peakConcurrentMeetings", peak_concurrent_participants AS "peakConcurrentParticipants",
              failed_creates AS "failedCreates", abandoned_creates AS "abandonedCreates"
         FROM ${quoteIdent(this.base)}.tenant_daily_usage
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR tenant = $3)
        ORDER BY tenant, day`,
      [from, to, tenant ?? null],
    );
    return rows;
  }
}

/** Sums meetings, minutes and failures; peaks take the maximum. */
export function usageTotals(days: readonly TenantDayUsage[]): Omit<TenantDayUsage, 'tenant' | 'day'> {
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const t = { meetings: 0, meetingMinutes: 0, participantMinutes: 0, peakConcurrentMeetings: 0, peakConcurrentParticipants: 0, failedCreates: 0, abandonedCreates: 0 };
  for (const d of days) {
    t.meetings += d.meetings;
    t.meetingMinutes += d.meetingMinutes;
    t.participantMinutes += d.participantMinutes;
    t.peakConcurrentMeetings = Math.max(t.peakConcurrentMeetings, d.peakConcurrentMeetings);
    t.peakConcurrentParticipants = Math.max(t.peakConcurrentParticipants, d.peakConcurrentParticipants);
    t.failedCreates += d.failedCreates;
    t.abandonedCreates += d.abandonedCreates;
  }
  return { ...t, meetingMinutes: round2(t.meetingMinutes), participantMinutes: round2(t.participantMinutes) };
}

/** RFC 4180: a header of the view's column names, CRLF line ends, fields quoted only when they must be. */
export function usageCsv(days: readonly TenantDayUsage[]): string {
  const field = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [TENANT_DAY_COLUMNS.map(([, column]) => column).join(',')];
  for (const d of days) lines.push(TENANT_DAY_COLUMNS.map(([key]) => field(d[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
