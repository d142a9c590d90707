import t from 'tap';
import { foldStats } from '../../../src/projections/stats/statsFold.js';
import { emptySnapshot } from '../../../src/projections/stats/statsModel.js';
import { projectStats } from '../../../src/projections/stats/statsOps.js';
import { smallDay } from './scenario.js';
import { identity } from './statsEvents.js';

const H = 3_600_000;
const changes = () => foldStats(emptySnapshot(), smallDay().events.flatMap(projectStats));

t.test('a meeting that ended / has its duration, peak, joins and participant time', async (t) => {
  const m1 = changes().meetings.get('meeting-acme-x|1');
  t.match(m1, { tenant: 'acme', nodeId: 'n1', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T11:00:00.000Z', durationMs: H, endReason: 'api' });
  // one participant 10:10–10:20, two 10:20–11:00; the join after the end counts for nothing
  t.match(m1, { peakParticipants: 2, joins: 2, participantMs: 10 * 60_000 + 2 * 40 * 60_000, recorded: true });
});

t.test('the same meeting ID started again / is a second incarnation, not recorded this time', async (t) => {
  t.match(changes().meetings.get('meeting-acme-x|2'), { incarnation: 2, startedAt: '2026-11-23T13:00:00.000Z', endedAt: null, recorded: false });
});

t.test('a meeting across midnight / adds its minutes to both days', async (t) => {
  const c = changes();
  t.match(c.tenantDays.get('acme|2026-11-23'), { meetings: 3, meetingMs: H + 13.5 * H, peakMeetings: 2, peakParticipants: 2, failedCreates: 1, abandonedCreates: 1 });
  t.match(c.tenantDays.get('acme|2026-11-24'), { meetings: 0, meetingMs: H });
  t.match(c.nodeDays.get('n1|2026-11-23'), { meetings: 3, meetingMs: 14.5 * H, failures: 1, peakMeetings: 2, availableMs: 3 * H });
});

t.test('health changes / become intervals, the last one open', async (t) => {
  const intervals = [...changes().healthIntervals.values()];
  t.same(intervals, [
    { nodeId: 'n1', health: 'available', reason: 'probeSucceeded', detail: '1', startedAt: '2026-11-23T09:00:00.000Z', endedAt: '2026-11-23T12:00:00.000Z' },
    { nodeId: 'n1', health: 'offline', reason: 'timeout', detail: '3', startedAt: '2026-11-23T12:00:00.000Z', endedAt: null },
  ]);
  t.match(changes().nodes.get('n1'), { adminState: 'cordoned', health: 'offline', healthSince: '2026-11-23T12:00:00.000Z' });
});

t.test('an absolute participant count / replaces the running figure', async (t) => {
  const log = smallDay();
  const ops = log.events.slice(0, 5).flatMap(projectStats);
  const c = foldStats(emptySnapshot(), [...ops, { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'count', count: 7 }, at: '2026-11-23T10:30:00.000Z' }]);
  t.match(c.streams.get('meeting-acme-x'), { participants: 7, peakParticipants: 7, joins: 0 });
  t.match(c.tenantDays.get('acme|2026-11-23'), { peakParticipants: 7 });
});

t.test('events for unknown nodes or idle meetings / change nothing', async (t) => {
  const c = foldStats(emptySnapshot(), [
    { op: 'nodeAdminState', nodeId: 'ghost', adminState: 'cordoned', at: '2026-11-23T10:00:00.000Z' },
    { op: 'nodeHealth', nodeId: 'ghost', health: 'offline', reason: 'timeout', detail: '', at: '2026-11-23T10:00:00.000Z' },
    { op: 'meetingEnded', stream: 'meeting-none', reason: 'api', at: '2026-11-23T10:00:00.000Z' },
    { op: 'participants', stream: 'meeting-none', change: { kind: 'delta', by: 1 }, at: '2026-11-23T10:00:00.000Z' },
  ]);
  t.equal(c.nodes.size + c.healthIntervals.size + c.meetings.size + c.streams.size + c.tenantDays.size, 0);
});

t.test('a join window that ends just before a poll, appended after the poll / is in the poll count already', async (t) => {
  const log = smallDay();
  log.events.splice(5);
  const at = (time: string) => `2026-11-23T${time}Z`;
  const counts = { participantCount: 1, moderatorCount: 0, listenerCount: 0, voice: 0, video: 0, running: true };
  // One user joins m1 at 10:05:00.100; the poll at 10:05:00.200 counts them and is appended first (the join
  // waited for its window to close).
  log.add('meeting-acme-x', 'MeetingParticipantsChanged', { ...identity('m1'), ...counts, nodeId: 'n1', at: at('10:05:00.200') }, at('10:05:00.200'));
  log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), moderators: 0, viewers: 1, from: at('10:05:00.100'), to: at('10:05:00.100') }, at('10:05:00.350'));
  log.add('meeting-acme-x', 'MeetingEnded', { ...identity('m1'), nodeId: 'n1', reason: 'api' }, at('11:05:00.200'));
  const c = foldStats(emptySnapshot(), log.events.flatMap(projectStats));
  t.match(c.meetings.get('meeting-acme-x|1'), { peakParticipants: 1, joins: 1, participantMs: H });
  t.match(c.tenantDays.get('acme|2026-11-23'), { peakParticipants: 1, participantMs: H });
  t.match(c.nodeDays.get('n1|2026-11-23'), { peakParticipants: 1, participantMs: H });
});

t.test('a poll appended after a join it did not see yet / keeps that join on top of its count', async (t) => {
  const log = smallDay();
  const start = log.events.slice(0, 5).flatMap(projectStats);
  const at = (time: string) => `2026-11-23T${time}Z`;
  const c = foldStats(emptySnapshot(), [
    ...start,
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 1 }, at: at('10:10:00.000') },
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 1 }, at: at('10:20:00.000') },
    // taken at 10:15, after the first join and before the second
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'count', count: 1 }, at: at('10:15:00.000') },
    // an older count than the one folded changes nothing
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'count', count: 5 }, at: at('10:12:00.000') },
    { op: 'meetingEnded', stream: 'meeting-acme-x', reason: 'api', at: at('11:00:00.000') },
  ]);
  t.match(c.meetings.get('meeting-acme-x|1'), { peakParticipants: 2, joins: 2, participantMs: 10 * 60_000 + 2 * 40 * 60_000 });
});

t.test('a join appended after a later poll that did not count it / is owed its participant time from when it happened', async (t) => {
  const log = smallDay();
  const start = log.events.slice(0, 5).flatMap(projectStats);
  const at = (time: string) => `2026-11-23T${time}Z`;
  const c = foldStats(emptySnapshot(), [
    ...start,
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'count', count: 0 }, at: at('10:10:00.000') },
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 1 }, at: at('10:20:00.000') },
    { op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 1 }, at: at('10:15:00.000') },
    { op: 'meetingEnded', stream: 'meeting-acme-x', reason: 'api', at: at('11:00:00.000') },
  ]);
  t.match(c.meetings.get('meeting-acme-x|1'), { peakParticipants: 2, joins: 2, participantMs: 45 * 60_000 + 40 * 60_000 });
});
