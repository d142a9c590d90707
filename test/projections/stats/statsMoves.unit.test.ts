import t from 'tap';
import { foldStats } from '../../../src/projections/stats/statsFold.js';
import { emptySnapshot } from '../../../src/projections/stats/statsModel.js';
import { projectStats, type StatsOp } from '../../../src/projections/stats/statsOps.js';
import { created, EventLog, identity, moved, nodeRegistered, placed } from './statsEvents.js';

const H = 3_600_000;
const d = (time: string, day = '2026-11-23') => `${day}T${time}.000Z`;

/** m1 on n1 from 10:00, 2 participants from 10:30; n1 dies, failover moves it to n2 at 11:00; 3 from 11:30; ends 12:00. */
function movedMeeting(moveTwice = false): StatsOp[] {
  const log = new EventLog();
  log.add('tenant-acme', 'TenantRegistered', { tenant: 'acme' }, d('08:00:00'));
  for (const n of ['n1', 'n2']) log.add(`node-${n}`, 'NodeRegistered', nodeRegistered(n), d('09:00:00'));
  log.add('meeting-acme-x', 'MeetingPlaced', placed('m1', 'n1'), d('10:00:00'));
  log.add('meeting-acme-x', 'MeetingCreated', created('m1', 'n1'), d('10:00:00'));
  log.add('meeting-acme-x', 'MeetingParticipantsChanged', participants(2, d('10:30:00')), d('10:30:00'));
  log.add('meeting-acme-x', 'MeetingMoved', moved('m1', 'n1', 'n2'), d('11:00:00'));
  if (moveTwice) log.add('meeting-acme-x', 'MeetingMoved', moved('m1', 'n1', 'n2'), d('11:00:00'));
  log.add('meeting-acme-x', 'MeetingParticipantsChanged', participants(3, d('11:30:00')), d('11:30:00'));
  log.add('meeting-acme-x', 'MeetingEnded', { ...identity('m1'), nodeId: 'n2', reason: 'api' }, d('12:00:00'));
  return log.events.flatMap(projectStats);
}

function participants(count: number, at: string) {
  return { ...identity('m1'), nodeId: 'n1', participantCount: count, moderatorCount: 1, listenerCount: 0, voice: 0, video: 0, running: true, at };
}

t.test('a meeting moved by failover / its row names the new node; the tenant sees one meeting, start to end', async (t) => {
  const c = foldStats(emptySnapshot(), movedMeeting());
  t.match(c.meetings.get('meeting-acme-x|1'), { nodeId: 'n2', startedAt: d('10:00:00'), endedAt: d('12:00:00'), durationMs: 2 * H, participantMs: 2 * 0.5 * H + 2 * 0.5 * H + 3 * 0.5 * H });
  t.match(c.tenantDays.get('acme|2026-11-23'), { meetings: 1, meetingMs: 2 * H, participantMs: 3.5 * H, peakMeetings: 1, peakParticipants: 3 });
});

t.test('a meeting moved by failover / the old node\'s share ends at the move, the new node\'s begins there', async (t) => {
  const c = foldStats(emptySnapshot(), movedMeeting());
  t.match(c.nodeDays.get('n1|2026-11-23'), { meetings: 1, meetingMs: H, participantMs: 2 * 0.5 * H, peakMeetings: 1, peakParticipants: 2 });
  t.match(c.nodeDays.get('n2|2026-11-23'), { meetings: 1, meetingMs: H, participantMs: 2 * 0.5 * H + 3 * 0.5 * H, peakMeetings: 1, peakParticipants: 3 });
});

t.test('a meeting moved by failover / is running on the new node only, from the move', async (t) => {
  const ops = movedMeeting();
  const snapshot = emptySnapshot();
  const c = foldStats(snapshot, ops.slice(0, ops.findIndex((op) => op.op === 'meetingMoved') + 1));
  t.match(c.streams.get('meeting-acme-x'), { running: true, nodeId: 'n2', nodeSince: d('11:00:00'), startedAt: d('10:00:00'), participants: 2 });
  t.same([snapshot.nodesNow.get('n1'), snapshot.nodesNow.get('n2')], [{ meetings: 0, participants: 0 }, { meetings: 1, participants: 2 }]);
});

t.test('a move across midnight / each node\'s meeting time is split by day at the move and the end', async (t) => {
  const c = foldStats(emptySnapshot(), [
    { op: 'meetingStarted', stream: 's', tenant: 'acme', scope: 'acme', meetingID: 'm', nodeId: 'n1', name: 'M', at: d('23:00:00') },
    { op: 'meetingMoved', stream: 's', nodeId: 'n2', at: d('00:30:00', '2026-11-24') },
    { op: 'meetingEnded', stream: 's', reason: 'api', at: d('01:00:00', '2026-11-24') },
  ]);
  t.same([c.nodeDays.get('n1|2026-11-23')?.meetingMs, c.nodeDays.get('n1|2026-11-24')?.meetingMs], [H, 0.5 * H]);
  t.same([c.nodeDays.get('n2|2026-11-24')?.meetingMs, c.nodeDays.get('n2|2026-11-24')?.meetings, c.nodeDays.has('n2|2026-11-23')], [0.5 * H, 1, false]);
});

t.test('the same move applied twice / is a no-op: in one batch, and again in a later one', async (t) => {
  t.same(foldStats(emptySnapshot(), movedMeeting(true)), foldStats(emptySnapshot(), movedMeeting()), 'in one batch');
  const snapshot = emptySnapshot();
  const ops = movedMeeting();
  const move = ops.find((op) => op.op === 'meetingMoved')!;
  foldStats(snapshot, ops.slice(0, ops.indexOf(move) + 1));
  const again = foldStats(snapshot, [move]);
  t.equal(again.streams.size + again.meetings.size + again.nodeDays.size + again.tenantDays.size, 0, 'in a later batch');
});

t.test('a move of a meeting that is not running / changes nothing', async (t) => {
  const c = foldStats(emptySnapshot(), [
    { op: 'meetingMoved', stream: 'meeting-none', nodeId: 'n2', at: d('10:00:00') },
    { op: 'meetingStarted', stream: 's', tenant: 'acme', scope: 'acme', meetingID: 'm', nodeId: 'n1', name: 'M', at: d('10:00:00') },
    { op: 'meetingEnded', stream: 's', reason: 'api', at: d('11:00:00') },
    { op: 'meetingMoved', stream: 's', nodeId: 'n2', at: d('11:30:00') },
  ]);
  t.match(c.streams.get('s'), { running: false, nodeId: 'n1' });
  t.notOk(c.nodeDays.has('n2|2026-11-23'));
  t.notOk(c.streams.has('meeting-none'));
});
