import t from 'tap';
import { foldStats } from '../../../src/projections/stats/statsFold.js';
import { emptySnapshot } from '../../../src/projections/stats/statsModel.js';
import { projectStats } from '../../../src/projections/stats/statsOps.js';
import { smallDay } from './scenario.js';

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
