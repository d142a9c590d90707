import t from 'tap';
import type { DomainEventType } from '../../src/domain/eventCatalogue.js';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { projectNodeDirectory } from '../../src/projections/nodeDirectory.js';
import { InMemoryNodeDirectory } from '../../src/projections/nodeDirectoryMemory.js';
import { eventLog, TEST_AT } from '../support/events.js';
import { nodeRegistered } from './stats/statsEvents.js';

const log = eventLog({ actor: 'tenant:acme' });
const recorded = (type: DomainEventType, streamId: string, data: Record<string, JsonValue>, at = TEST_AT): RecordedEvent => log(type, data, { streamId, at });

const identity = { tenant: 'acme', scope: 'acme', meetingID: 'room-1' };
const meeting = 'meeting-acme-room1';
const node = (nodeId: string) => recorded('NodeRegistered', `node-${nodeId}`, nodeRegistered(nodeId));
const placed = (nodeId: string) =>
  recorded('MeetingPlaced', meeting, { ...identity, nodeId, nodeMeetingID: 'acme-x', params: {}, body: null });
const created = (nodeId: string) =>
  recorded('MeetingCreated', meeting, {
    ...identity,
    nodeId,
    nodeMeetingID: 'acme-x',
    internalMeetingID: 'abc-1',
    createTime: 1,
    attendeePW: null,
    moderatorPW: null,
    voiceBridge: '12345',
    dialNumber: '613-555-1234',
    name: 'Room',
    metadata: {},
  });
const joined = (moderators = 0, viewers = 1) => recorded('MeetingJoined', meeting, { ...identity, moderators, viewers, from: '2026-11-23T10:01:00.000Z', to: '2026-11-23T10:01:00.250Z' });
const failed = (nodeId: string) => recorded('MeetingCreateFailed', meeting, { ...identity, nodeId, reason: 'timeout', detail: '' });
const ended = (nodeId: string) => recorded('MeetingEnded', meeting, { ...identity, nodeId, reason: 'api' });

function directoryAfter(events: RecordedEvent[], twice = false): InMemoryNodeDirectory {
  const directory = new InMemoryNodeDirectory();
  for (const event of events) {
    directory.apply(projectNodeDirectory(event));
    if (twice) directory.apply(projectNodeDirectory(event));
  }
  return directory;
}
const load = (d: InMemoryNodeDirectory, id: string) => {
  const n = d.get(id);
  return n && { meetings: n.meetings, participants: n.participants };
};

t.test('a placed meeting counts on its node at once, before the node answered', async (t) => {
  const d = directoryAfter([node('n1'), node('n2'), placed('n1')]);
  t.same(load(d, 'n1'), { meetings: 1, participants: 0 });
  t.same(load(d, 'n2'), { meetings: 0, participants: 0 });
});

t.test('joins count as participants of the meeting node; created does not count the meeting twice', async (t) => {
  const d = directoryAfter([node('n1'), placed('n1'), created('n1'), joined(), joined()]);
  t.same(load(d, 'n1'), { meetings: 1, participants: 2 });
});

t.test('a failed create moves the meeting off the node; the retry lands on another', async (t) => {
  const d = directoryAfter([node('n1'), node('n2'), placed('n1'), failed('n1'), placed('n2'), created('n2'), joined()]);
  t.same(load(d, 'n1'), { meetings: 0, participants: 0 });
  t.same(load(d, 'n2'), { meetings: 1, participants: 1 });
});

t.test('an ended meeting takes its joins with it', async (t) => {
  const d = directoryAfter([node('n1'), placed('n1'), created('n1'), joined(), ended('n1')]);
  t.same(load(d, 'n1'), { meetings: 0, participants: 0 });
});

t.test('a window of joins counts all of them, moderators and viewers', async (t) => {
  const d = directoryAfter([node('n1'), placed('n1'), created('n1'), joined(2, 7), joined()]);
  t.same(load(d, 'n1'), { meetings: 1, participants: 10 });
});

const loadReported = (participants: number, at: string) =>
  recorded('NodeLoadReported', 'node-n1', { nodeId: 'n1', meetings: 1, participants, voice: 0, video: 0, breakoutMeetings: 0, cpu: null }, at);

t.test('a join window appended after a load report taken later / is in the report already', async (t) => {
  // joined()'s last join is at 10:01:00.250
  const d = directoryAfter([node('n1'), placed('n1'), created('n1'), loadReported(1, '2026-11-23T10:01:00.400Z'), joined()]);
  t.same(load(d, 'n1'), { meetings: 1, participants: 1 });
  const before = directoryAfter([node('n1'), placed('n1'), created('n1'), loadReported(1, '2026-11-23T10:01:00.100Z'), joined()]);
  t.same(load(before, 'n1'), { meetings: 1, participants: 2 }, 'a report taken before the joins does not have them');
});

t.test('every event applied twice is a no-op', async (t) => {
  const events = [node('n1'), node('n2'), placed('n1'), created('n1'), joined(), joined(1, 3)];
  t.same(load(directoryAfter(events, true), 'n1'), { meetings: 1, participants: 5 });
});

t.test('tenant events do not touch the directory', async (t) => {
  t.same(projectNodeDirectory(recorded('TenantRegistered', 'tenant-acme', { tenant: 'acme' })), []);
});

t.test('NodeTagsChanged / the directory hands placement the new tags, applied twice the same', async (t) => {
  const retagged = recorded('NodeTagsChanged', 'node-n1', { nodeId: 'n1', tags: ['gpu', 'large'] });
  t.same(projectNodeDirectory(retagged), [{ op: 'setTags', id: 'n1', tags: ['gpu', 'large'] }]);
  t.same(directoryAfter([node('n1'), retagged], true).get('n1')?.tags, ['gpu', 'large']);
  t.equal(directoryAfter([retagged]).get('n1'), undefined, 'tags of a node never registered are ignored');
});
