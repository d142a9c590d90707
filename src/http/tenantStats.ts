import type { MeetingView } from '../projections/meetingList.js';

/**
 * B3LB's `/b3lb/stats` shape, per tenant: `{ <tenant>: { <bbb-origin-server-name>: { <bbb-origin>:
 * [meetings, attendees, listenerCount, voiceParticipantCount, moderatorCount, videoCount] } } }`.
 */
export type B3lbTenantStats = Record<string, Record<string, Record<string, StatsRow>>>;
export type StatsRow = [meetings: number, attendees: number, listeners: number, voice: number, moderators: number, video: number];

/**
 * Pure: running meetings grouped by the create metadata `bbb-origin-server-name` and `bbb-origin` (`""` when a
 * frontend sent none; B3LB drops those, we keep them counted). Before a node poll reported a meeting's counts,
 * its joins stand in for attendees and moderators.
 */
export function tenantStats(tenant: string, meetings: readonly MeetingView[]): B3lbTenantStats {
  const byServer: Record<string, Record<string, StatsRow>> = {};
  for (const m of meetings) {
    const server = m.metadata['bbb-origin-server-name'] ?? '';
    const origin = m.metadata['bbb-origin'] ?? '';
    const origins = (byServer[server] ??= {});
    const row = (origins[origin] ??= [0, 0, 0, 0, 0, 0]);
    const c = m.counts;
    row[0] += 1;
    row[1] += c ? c.participantCount : m.moderatorJoins + m.viewerJoins;
    row[2] += c ? c.listenerCount : 0;
    row[3] += c ? c.voice : 0;
    row[4] += c ? c.moderatorCount : m.moderatorJoins;
    row[5] += c ? c.video : 0;
  }
  return { [tenant]: byServer };
}
