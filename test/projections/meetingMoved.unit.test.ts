import t from 'tap';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { projectMeetingList } from '../../src/projections/meetingList.js';
import { InMemoryMeetingList } from '../../src/projections/meetingListMemory.js';
import { projectNodeDirectory } from '../../src/projections/nodeDirectory.js';
import { InMemoryNodeDirectory } from '../../src/projections/nodeDirectoryMemory.js';
import { eventLog } from '../support/events.js';

const KEY = `acme-${'a'.repeat(40)}`;
const log = eventLog({ actor: 'saga:failover', schemaVersion: 1 });
const recorded = (type: string, data: JsonValue, streamId = `meeting-${KEY}`): RecordedEvent => log(type, data, { streamId });

const id = { tenant: 'acme', scope: 'acme', meetingID: 'room-1' };
const shared = { nodeMeetingID: KEY, createTime: 1, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '70001', dialNumber: '613', name: 'Room One', metadata: { origin: 'lms' } };
const created = () => recorded('MeetingCreated', { ...id, nodeId: 'a', internalMeetingID: 'int-a', ...shared });
const moved = () => recorded('MeetingMoved', { ...id, from: 'a', to: 'b', cause: 'nodeOffline', internalMeetingID: 'int-b', ...shared });
const joined = () => recorded('MeetingJoined', { ...id, role: 'VIEWER', at: '2026-11-23T10:00:00.000Z' });

t.test('MeetingMoved / the routing read model sends the meeting to the new node, with its internal ID, and counts afresh', async (t) => {
  const list = new InMemoryMeetingList();
  for (const event of [created(), joined(), moved()]) list.apply(projectMeetingList(event));
  t.match(await list.find(KEY), { meetingID: 'room-1', nodeId: 'b', internalMeetingID: 'int-b', attendeePW: 'ap', moderatorPW: 'mp', name: 'Room One', viewerJoins: 0, counts: null });
  const again = projectMeetingList(moved());
  list.apply(again);
  t.equal((await list.list('acme', 'acme')).length, 1, 'applied twice: still one meeting');
});

t.test('MeetingMoved / the node directory counts the meeting on the new node, no longer on the old one', async (t) => {
  const directory = new InMemoryNodeDirectory();
  for (const nodeId of ['a', 'b']) {
    directory.apply(projectNodeDirectory(recorded('NodeRegistered', { nodeId, url: `https://${nodeId}/bigbluebutton/api/`, secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 }, `node-${nodeId}`)));
  }
  directory.apply(projectNodeDirectory(created()));
  t.same([directory.get('a')?.meetings, directory.get('b')?.meetings], [1, 0]);
  directory.apply(projectNodeDirectory(moved()));
  directory.apply(projectNodeDirectory(moved()));
  t.same([directory.get('a')?.meetings, directory.get('b')?.meetings], [0, 1]);
});
