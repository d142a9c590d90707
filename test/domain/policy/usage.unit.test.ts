import t from 'tap';
import type { MeetingEvent } from '../../../src/domain/meeting/events.js';
import { TenantUsage } from '../../../src/domain/policy/usage.js';

const id = (scope: string, meetingID: string) => ({ tenant: 'acme', scope, meetingID });
const created = (scope: string, meetingID: string): MeetingEvent => ({
  type: 'MeetingCreated',
  data: { ...id(scope, meetingID), nodeId: 'n1', nodeMeetingID: `${scope}-x`, internalMeetingID: 'i', createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'R', metadata: {}, params: {} },
});
const joined = (scope: string, meetingID: string, viewers: number): MeetingEvent => ({ type: 'MeetingJoined', data: { ...id(scope, meetingID), moderators: 0, viewers, from: 'a', to: 'b' } });
const polled = (scope: string, meetingID: string, participantCount: number): MeetingEvent => ({
  type: 'MeetingParticipantsChanged',
  data: { ...id(scope, meetingID), nodeId: 'n1', participantCount, moderatorCount: 0, listenerCount: 0, voice: 0, video: 0, running: true, at: 'a' },
});
const ended = (scope: string, meetingID: string): MeetingEvent => ({ type: 'MeetingEnded', data: { ...id(scope, meetingID), nodeId: 'n1', reason: 'api', evidence: null } });

const after = (events: MeetingEvent[]) => {
  const usage = new TenantUsage();
  for (const event of events) usage.apply(event);
  return usage;
};

t.test('meetings / counted per scope and per tenant; a repeated MeetingCreated counts once; ended ones leave', async (t) => {
  const usage = after([created('acme', 'a'), created('acme-007', 'b'), created('acme-007', 'b'), created('acme-007', 'c'), ended('acme-007', 'c')]);
  t.same(usage.of('acme'), { meetings: 2, participants: 0 });
  t.same(usage.of('acme-007'), { meetings: 1, participants: 0 });
  t.ok(usage.isRunning('acme-007', 'b'));
  t.notOk(usage.isRunning('acme-007', 'c'));
});

t.test('participants / the last poll plus the joins since; a poll replaces both', async (t) => {
  const usage = after([created('acme', 'a'), joined('acme', 'a', 2), joined('acme', 'a', 1)]);
  t.equal(usage.of('acme').participants, 3);
  usage.apply(polled('acme', 'a', 10));
  t.equal(usage.of('acme').participants, 10);
  usage.apply(joined('acme', 'a', 1));
  t.equal(usage.of('acme').participants, 11);
  usage.apply(ended('acme', 'a'));
  t.same(usage.of('acme'), { meetings: 0, participants: 0 });
});

t.test("local joins / count at once and are not counted again when this process's MeetingJoined arrives", async (t) => {
  const usage = after([created('acme', 'a')]);
  usage.countLocalJoin('acme', 'a');
  usage.countLocalJoin('acme', 'a');
  t.equal(usage.of('acme').participants, 2);
  usage.apply(joined('acme', 'a', 2));
  t.equal(usage.of('acme').participants, 2);
  usage.apply(joined('acme', 'a', 1));
  t.equal(usage.of('acme').participants, 3, "another instance's join");
  usage.countLocalJoin('acme', 'nowhere');
  t.equal(usage.of('acme').participants, 3, 'a join to an unknown meeting counts nothing');
});

t.test('events for meetings never created / change nothing', async (t) => {
  const usage = after([joined('acme', 'x', 4), polled('acme', 'x', 3), ended('acme', 'x')]);
  t.same(usage.of('acme'), { meetings: 0, participants: 0 });
});
