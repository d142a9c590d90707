import t from 'tap';
import { meetingStreamId } from '../../src/domain/streams.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { addAttendee, newMeeting } from '../../src/simulator/simulatedMeetings.js';
import { call } from '../support/httpHarness.js';
import { eventually } from '../support/eventually.js';
import { sleep, startFleet } from './fleetSupport.js';

const stream = (meetingID: string) => meetingStreamId('acme', meetingID);
const has = (events: Array<{ type: string }>, type: string) => events.some((e) => e.type === type);

t.test('a meeting ended directly on the node / MeetingEnded (node) within a few polls, and a later create of it works', async (t) => {
  const fleet = await startFleet(t, 1);
  const { sim } = fleet.nodes[0]!;
  t.equal((await fleet.create('room-a')).returncode, 'SUCCESS');
  // A first poll listed it: its counts are in the log (an empty meeting's first poll records nothing, so one joins).
  addAttendee(sim.meetings.get(nodeMeetingIdOf('acme', 'room-a'))!, { userID: 'u1', fullName: 'Ada', role: 'MODERATOR', customdata: {} });
  await eventually('a poll to see the meeting', async () => has(await fleet.events(stream('room-a')), 'MeetingParticipantsChanged'));
  sim.meetings.delete(nodeMeetingIdOf('acme', 'room-a'));
  await eventually('the meeting to end', async () => has(await fleet.events(stream('room-a')), 'MeetingEnded'));
  const ended = (await fleet.events(stream('room-a'))).find((e) => e.type === 'MeetingEnded');
  t.match(ended, { actor: 'saga:reconciliation', data: { reason: 'node', nodeId: fleet.nodes[0]!.id, evidence: { lastSeenAt: /Z$/, detail: /gone from the next one/ } } });
  // The meeting list follows the log asynchronously: wait for it (a stale entry never leaves, and times out).
  await eventually('no stale entry in getMeetings', async () => (await fleet.getMeetings()).length === 0);
  t.same(await fleet.getMeetings(), [], 'no stale entry');
  t.equal((await fleet.create('room-a')).returncode, 'SUCCESS', 'created afresh');
  t.ok(sim.meetings.has(nodeMeetingIdOf('acme', 'room-a')));
  await eventually('the new meeting in getMeetings', async () => (await fleet.getMeetings()).length === 1);
  t.match(await fleet.getMeetings(), [{ meetingID: 'room-a' }]);
});

t.test('participants added on the node / show up in getMeetings, counts only', async (t) => {
  const fleet = await startFleet(t, 1);
  await fleet.create('room-b');
  const meeting = fleet.nodes[0]!.sim.meetings.get(nodeMeetingIdOf('acme', 'room-b'))!;
  addAttendee(meeting, { userID: 'u1', fullName: 'Ada', role: 'MODERATOR', customdata: {}, hasJoinedVoice: true, hasVideo: true });
  addAttendee(meeting, { userID: 'u2', fullName: 'Bob', role: 'VIEWER', customdata: {}, isListeningOnly: true });
  await eventually('the counts in getMeetings', async () => (await fleet.getMeetings())[0]?.participantCount === 2);
  t.match((await fleet.getMeetings())[0], { running: true, participantCount: 2, moderatorCount: 1, listenerCount: 1, voiceParticipantCount: 1, videoCount: 1 });
  const changes = (await fleet.events(stream('room-b'))).filter((e) => e.type === 'MeetingParticipantsChanged');
  t.notMatch(JSON.stringify(changes), /Ada|Bob/, 'no names in the log');
  const before = changes.length;
  await sleep(500);
  t.equal((await fleet.events(stream('room-b'))).filter((e) => e.type === 'MeetingParticipantsChanged').length, before, 'unchanged counts add nothing');
  await eventually('the node directory to take the polled participants', () => fleet.composed.nodeDirectory.get(fleet.nodes[0]!.id)?.participants === 2);
});

t.test('a node restarted without its meetings / ours end with reason reconciliation, and can be created again', async (t) => {
  // Never offline here: an offline node's meetings are failover's (moved, or ended with reason failover).
  const fleet = await startFleet(t, 1, { HEALTH_FAIL_THRESHOLD: '100' });
  const { id, sim } = fleet.nodes[0]!;
  await fleet.create('room-c');
  await sim.kill();
  await eventually('the node unstable', () => fleet.composed.nodeDirectory.get(id)?.health === 'unstable');
  await sim.restart({ forgetMeetings: true });
  await eventually('the meeting to end', async () => has(await fleet.events(stream('room-c')), 'MeetingEnded'));
  t.match((await fleet.events(stream('room-c'))).find((e) => e.type === 'MeetingEnded'), { actor: 'saga:reconciliation', data: { reason: 'reconciliation', evidence: { detail: /available/ } } });
  t.equal((await fleet.create('room-c')).returncode, 'SUCCESS');
});

t.test('a meeting created on the node by someone else / one explained event, never in getMeetings', async (t) => {
  const fleet = await startFleet(t, 1);
  const { id, sim } = fleet.nodes[0]!;
  sim.meetings.set('someone-elses', newMeeting({ meetingID: 'someone-elses', name: 'Direct' }, undefined, Date.now()));
  const unknown = async () => (await fleet.events(`node-${id}`)).filter((e) => e.type === 'NodeReportedUnknownMeeting');
  await eventually('the explanation', async () => (await unknown()).length > 0);
  await sleep(600);
  const reported = await unknown();
  t.equal(reported.length, 1, 'once, however many polls see it');
  t.match(reported[0], { actor: 'saga:reconciliation', data: { nodeMeetingID: 'someone-elses', explanation: 'notPlacedByUs', name: 'Direct' } });
  t.same(await fleet.getMeetings(), []);
});

t.test('a cordoned node / drains to disabled by itself once its last meeting ends', async (t) => {
  const fleet = await startFleet(t, 1);
  const { id } = fleet.nodes[0]!;
  await fleet.create('room-d');
  t.equal((await call(fleet.base, `/admin/api/v1/nodes/${id}/cordon`, { method: 'POST', token: fleet.token })).status, 200);
  await sleep(400);
  t.equal(fleet.composed.nodeDirectory.get(id)?.adminState, 'cordoned', 'still cordoned while a meeting runs');
  await fleet.end('room-d');
  await eventually('the node disabled', () => fleet.composed.nodeDirectory.get(id)?.adminState === 'disabled');
  t.match((await fleet.events(`node-${id}`)).filter((e) => e.type === 'NodeDisabled'), [{ actor: 'saga:drain', data: { reason: 'drained' } }]);
});

t.test('a decommissioned node / is removed once its last meeting ends, then no longer polled', async (t) => {
  const fleet = await startFleet(t, 1);
  const { id, sim } = fleet.nodes[0]!;
  await fleet.create('room-e');
  await call(fleet.base, `/admin/api/v1/nodes/${id}/decommission`, { method: 'POST', token: fleet.token });
  await sleep(300);
  t.ok(fleet.composed.nodeDirectory.get(id), 'kept while its meeting runs');
  await fleet.end('room-e');
  await eventually('the node removed', () => fleet.composed.nodeDirectory.get(id) === undefined);
  t.match((await fleet.events(`node-${id}`)).at(-1), { type: 'NodeRemoved', actor: 'saga:drain' });
  await sleep(300);
  const calls = sim.calls.length;
  await sleep(500);
  t.equal(sim.calls.length, calls, 'no more polls');
});

t.test('the load endpoint / CPU in NodeLoadReported and the directory; identical polls add no events', async (t) => {
  const fleet = await startFleet(t, 1);
  const { id, sim } = fleet.nodes[0]!;
  sim.cpu = 0.42;
  await eventually('the CPU in the directory', () => fleet.composed.nodeDirectory.get(id)?.cpu === 0.42);
  const reports = async () => (await fleet.events(`node-${id}`)).filter((e) => e.type === 'NodeLoadReported');
  const before = (await reports()).length;
  await sleep(800);
  t.equal((await reports()).length, before, 'eight identical polls, no report');
  t.match((await reports()).at(-1), { actor: 'saga:nodeLoad', data: { meetings: 0, participants: 0, cpu: 0.42 } });
});

t.test('a flapping node / unstable, never back while it flaps, nothing placed on it meanwhile; nothing crashes', async (t) => {
  const fleet = await startFleet(t, 2);
  const [flapping, steady] = fleet.nodes as [(typeof fleet.nodes)[0], (typeof fleet.nodes)[0]];
  const faults = [{ kind: 'reset' }, { kind: 'none' }, { kind: 'html' }, { kind: 'none' }, { kind: 'truncated' }, { kind: 'none' }, { kind: 'hang' }] as const;
  let i = 0;
  flapping.sim.fault = faults[0];
  const flap = setInterval(() => (flapping.sim.fault = faults[++i % faults.length]!), 120);
  t.teardown(() => clearInterval(flap));
  await eventually('the flapping node not available', () => fleet.composed.nodeDirectory.get(flapping.id)?.health !== 'available');
  for (let m = 0; m < 6; m++) t.equal((await fleet.create(`flap-${m}`)).returncode, 'SUCCESS');
  t.equal(flapping.sim.meetings.size, 0, 'nothing placed on the flapping node');
  t.equal(steady.sim.meetings.size, 6);
  clearInterval(flap);
  flapping.sim.fault = { kind: 'none' };
  await eventually('the node back after 5 good polls', () => fleet.composed.nodeDirectory.get(flapping.id)?.health === 'available');
  const health = (await fleet.events(`node-${flapping.id}`)).filter((e) => e.type === 'NodeHealthChanged');
  t.ok(health.length < 12, `${health.length} health events, not one per poll`);
});
