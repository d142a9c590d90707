import t from 'tap';
import type { NodeMeeting } from '../../../src/domain/bbb/getMeetingsResponse.js';
import { drainDue } from '../../../src/domain/reconciliation/drain.js';
import { FRESH_MEMORY, reconcile, type NodeSide, type OurMeeting, type PollMemory } from '../../../src/domain/reconciliation/reconcile.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const POLICY = { graceMs: 30_000 };

const onNode = (id: string, over: Partial<NodeMeeting> = {}): NodeMeeting => ({
  meetingID: id,
  internalMeetingID: `int-${id}`,
  meetingName: id,
  running: true,
  isBreakout: false,
  createTime: T0,
  endTime: 0,
  hasBeenForciblyEnded: false,
  participantCount: 3,
  moderatorCount: 1,
  listenerCount: 1,
  voiceParticipantCount: 2,
  videoCount: 1,
  attendeeCount: 3,
  metadata: {},
  ...over,
});
const COUNTS = { participantCount: 3, moderatorCount: 1, listenerCount: 1, voice: 2, video: 1, running: true };
const ours = (id: string, over: Partial<OurMeeting> = {}): OurMeeting => ({
  tenant: 'acme',
  scope: 'acme',
  meetingID: `client-${id}`,
  nodeMeetingID: id,
  status: 'running',
  internalMeetingID: `int-${id}`,
  since: T0,
  counts: COUNTS,
  lastJoinAt: null,
  ...over,
});
const side = (meetings: OurMeeting[], over: Partial<NodeSide> = {}): NodeSide => ({
  ours: new Map(meetings.map((m) => [m.nodeMeetingID, m])),
  endedHere: new Map(),
  reported: new Set(),
  ...over,
});
const poll = (at: number, meetings: NodeMeeting[] | null, nodeAvailable = true) => ({ at, meetings, nodeAvailable });
const afterPoll = (listed: string[], at = T0): PollMemory => ({
  previous: { listed: new Set(listed), at },
  lastSeen: new Map(listed.map((id) => [id, at])),
  unknownSeen: new Set(),
});

t.test('when ours runs on the node with the counts last reported / nothing to say', async (t) => {
  t.same(reconcile(FRESH_MEMORY, poll(T0 + 60_000, [onNode('a')]), side([ours('a')]), POLICY).decisions, []);
});

t.test('when ours runs with other counts (or none reported yet) / the new counts, once', async (t) => {
  const first = reconcile(FRESH_MEMORY, poll(T0, [onNode('a', { participantCount: 5 })]), side([ours('a'), ours('b', { counts: null })]), POLICY);
  t.match(first.decisions, [{ kind: 'counts', meeting: { nodeMeetingID: 'a' }, counts: { participantCount: 5 } }]);
  const fresh = reconcile(FRESH_MEMORY, poll(T0, [onNode('b')]), side([ours('b', { counts: null })]), POLICY);
  t.match(fresh.decisions, [{ kind: 'counts', counts: COUNTS }]);
});

t.test('when ours has no counts yet and the node lists it empty / nothing to say, unless a join was sent before the poll', async (t) => {
  const empty = onNode('a', { running: false, participantCount: 0, moderatorCount: 0, listenerCount: 0, voiceParticipantCount: 0, videoCount: 0, attendeeCount: 0 });
  t.same(reconcile(FRESH_MEMORY, poll(T0, [empty]), side([ours('a', { counts: null })]), POLICY).decisions, [], 'the views already show nobody');
  const joined = ours('a', { counts: null, lastJoinAt: T0 - 1000 });
  t.match(reconcile(FRESH_MEMORY, poll(T0, [empty]), side([joined]), POLICY).decisions, [{ kind: 'counts', counts: { participantCount: 0, running: false } }], 'the poll counts the joined user out');
});

t.test('when a join was sent after the poll started / no counts from that poll (it would count the user out)', async (t) => {
  const joined = ours('a', { lastJoinAt: T0 + 5 });
  t.same(reconcile(FRESH_MEMORY, poll(T0, [onNode('a', { participantCount: 5 })]), side([joined]), POLICY).decisions, []);
  t.match(reconcile(FRESH_MEMORY, poll(T0 + 10, [onNode('a', { participantCount: 5 })]), side([joined]), POLICY).decisions, [{ kind: 'counts' }]);
});

t.test('when ours was listed by the previous poll and is gone now / it ended on the node', async (t) => {
  const { decisions } = reconcile(afterPoll(['a']), poll(T0 + 10_000, []), side([ours('a')]), POLICY);
  t.match(decisions, [{ kind: 'gone', reason: 'node', meeting: { internalMeetingID: 'int-a' }, evidence: { observedAt: '2026-11-23T10:00:10.000Z', lastSeenAt: '2026-11-23T10:00:00.000Z' } }]);
});

t.test('when the node lists ours as ended / it ended on the node', async (t) => {
  const { decisions } = reconcile(FRESH_MEMORY, poll(T0, [onNode('a', { running: false, endTime: T0 - 5000, hasBeenForciblyEnded: true })]), side([ours('a')]), POLICY);
  t.match(decisions, [{ kind: 'gone', reason: 'node', evidence: { detail: /ended at .* \(forcibly\)/ } }]);
});

t.test('when ours is missing after a failed poll (a restart) and the grace is over / reconciliation ends it', async (t) => {
  const failed = reconcile(afterPoll(['a']), poll(T0 + 10_000, null), side([ours('a')]), POLICY);
  t.same(failed.decisions, [], 'a failed poll says nothing');
  const { decisions } = reconcile(failed.memory, poll(T0 + 40_000, []), side([ours('a')]), POLICY);
  t.match(decisions, [{ kind: 'gone', reason: 'reconciliation', evidence: { lastSeenAt: '2026-11-23T10:00:00.000Z', detail: /after a failed poll/ } }]);
});

t.test('when ours was never listed / ended only after the grace and only while the node is available', async (t) => {
  const within = reconcile(FRESH_MEMORY, poll(T0 + 29_999, []), side([ours('a')]), POLICY);
  t.same(within.decisions, [], 'a poll that may have left before the create arrived');
  t.same(reconcile(FRESH_MEMORY, poll(T0 + 60_000, [], false), side([ours('a')]), POLICY).decisions, [], 'an unstable node is not believed');
  t.match(reconcile(FRESH_MEMORY, poll(T0 + 30_000, []), side([ours('a')]), POLICY).decisions, [{ kind: 'gone', reason: 'reconciliation', evidence: { lastSeenAt: null } }]);
});

t.test('when ours is only being placed / never judged, whatever the node says', async (t) => {
  const placing = ours('a', { status: 'placing', internalMeetingID: null, counts: null });
  t.same(reconcile(afterPoll(['a']), poll(T0 + 99_000, []), side([placing]), POLICY).decisions, []);
});

t.test('when the node runs another incarnation under our ID / ours ended (reconciliation)', async (t) => {
  const { decisions } = reconcile(FRESH_MEMORY, poll(T0, [onNode('a', { internalMeetingID: 'int-new' })]), side([ours('a')]), POLICY);
  t.match(decisions, [{ kind: 'gone', reason: 'reconciliation', meeting: { internalMeetingID: 'int-a' }, evidence: { detail: /another incarnation \(int-new\)/ } }]);
});

t.test('when the node runs a meeting that is not ours / reported after two polls in a row, then never again', async (t) => {
  const first = reconcile(FRESH_MEMORY, poll(T0, [onNode('x')]), side([]), POLICY);
  t.same(first.decisions, [], 'one poll may race with a placement');
  const second = reconcile(first.memory, poll(T0 + 10_000, [onNode('x')]), side([]), POLICY);
  t.match(second.decisions, [{ kind: 'unknown', explanation: 'notPlacedByUs', meeting: { internalMeetingID: 'int-x' } }]);
  const third = reconcile(second.memory, poll(T0 + 20_000, [onNode('x')]), side([], { reported: new Set(['int-x']) }), POLICY);
  t.same(third.decisions, [], 'reported once');
});

t.test('when the node still runs one we ended / explained as endedHere', async (t) => {
  const s = side([], { endedHere: new Map([['x', 'ended with reason api']]) });
  const first = reconcile(FRESH_MEMORY, poll(T0, [onNode('x')]), s, POLICY);
  t.match(reconcile(first.memory, poll(T0 + 10_000, [onNode('x')]), s, POLICY).decisions, [{ kind: 'unknown', explanation: 'endedHere', detail: /reason api/ }]);
});

t.test('breakout rooms / are neither ours nor unknown', async (t) => {
  const breakout = onNode('int-a-1', { isBreakout: true });
  const first = reconcile(FRESH_MEMORY, poll(T0, [onNode('a'), breakout]), side([ours('a')]), POLICY);
  t.same(reconcile(first.memory, poll(T0 + 10_000, [onNode('a'), breakout]), side([ours('a')]), POLICY).decisions, []);
});

t.test('drain / due for a cordoned or decommissioned node with nothing of ours, not for an enabled or removed one', async (t) => {
  const none = new Map<string, unknown>();
  t.ok(drainDue({ adminState: 'cordoned', removed: false, ours: none }));
  t.ok(drainDue({ adminState: 'decommissioned', removed: false, ours: none }));
  t.notOk(drainDue({ adminState: 'cordoned', removed: false, ours: new Map([['a', {}]]) }));
  t.notOk(drainDue({ adminState: 'enabled', removed: false, ours: none }));
  t.notOk(drainDue({ adminState: 'decommissioned', removed: true, ours: none }));
});
