import t from 'tap';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { bbbMeetingOf, projectMeetingList, type MeetingListEntry, type MeetingListOp } from '../../src/projections/meetingList.js';
import { InMemoryMeetingList } from '../../src/projections/meetingListMemory.js';
import { eventLog } from '../support/events.js';

const KEY_A = `acme-${'a'.repeat(40)}`;
const KEY_B = `acme-007-${'b'.repeat(40)}`;
const log = eventLog({ actor: 'tenant:acme' });
const recorded = (type: string, data: JsonValue, streamId = `meeting-${KEY_A}`, schemaVersion = 1): RecordedEvent => log(type, data, { streamId, schemaVersion });

const idA = { tenant: 'acme', scope: 'acme', meetingID: 'room & <1>' };
const idB = { tenant: 'acme', scope: 'acme-007', meetingID: 'room & <1>' };
const answer = { internalMeetingID: 'int-1', createTime: 1700000000000, attendeePW: 'ap', moderatorPW: null, voiceBridge: '71234', dialNumber: '613-555-1234' };
const createdData = (id: typeof idA, nodeMeetingID: string, createTime = answer.createTime) => ({
  ...id,
  nodeId: 'n1',
  nodeMeetingID,
  ...answer,
  createTime,
  name: 'Room',
  metadata: { origin: 'lms' },
});
const entryA: MeetingListEntry = { ...createdData(idA, KEY_A) };

const placedA = recorded('MeetingPlaced', { ...idA, nodeId: 'n1', nodeMeetingID: KEY_A, params: { meetingID: 'room & <1>' }, body: null });
const createdA = recorded('MeetingCreated', createdData(idA, KEY_A));
const failedA = recorded('MeetingCreateFailed', { ...idA, nodeId: 'n1', reason: 'timeout', detail: 'd' });
const abandonedA = recorded('MeetingCreateAbandoned', { ...idA, reason: 'noNodeAvailable', triedNodeIds: ['n1'] });
const moderatorJoinedA = recorded('MeetingJoined', { ...idA, role: 'MODERATOR', at: '2026-11-23T10:00:01.000Z' });
const viewerJoinedA = recorded('MeetingJoined', { ...idA, role: 'VIEWER', at: '2026-11-23T10:00:02.000Z' });
const windowJoinedA = recorded('MeetingJoined', { ...idA, moderators: 2, viewers: 5, from: '2026-11-23T10:00:03.000Z', to: '2026-11-23T10:00:03.200Z' }, `meeting-${KEY_A}`, 2);
const endedA = recorded('MeetingEnded', { ...idA, nodeId: 'n1', reason: 'api' });
const createdB = recorded('MeetingCreated', createdData(idB, KEY_B, answer.createTime - 1), `meeting-${KEY_B}`);

t.test('MeetingCreated / puts the running meeting', async (t) => {
  t.same(projectMeetingList(createdA), [{ op: 'putRunning', entry: entryA }]);
});
t.test('MeetingJoined / keeps its counts under its position', async (t) => {
  t.same(projectMeetingList(windowJoinedA), [{ op: 'join', nodeMeetingID: KEY_A, position: windowJoinedA.position, moderators: 2, viewers: 5, at: '2026-11-23T10:00:03.200Z' }]);
});
t.test('MeetingJoined v1 (one join) / counts as a window of one', async (t) => {
  t.same(projectMeetingList(moderatorJoinedA), [{ op: 'join', nodeMeetingID: KEY_A, position: moderatorJoinedA.position, moderators: 1, viewers: 0, at: '2026-11-23T10:00:01.000Z' }]);
  t.same(projectMeetingList(viewerJoinedA), [{ op: 'join', nodeMeetingID: KEY_A, position: viewerJoinedA.position, moderators: 0, viewers: 1, at: '2026-11-23T10:00:02.000Z' }]);
});
t.test('MeetingEnded and MeetingCreateAbandoned / remove it', async (t) => {
  for (const event of [endedA, abandonedA]) t.same(projectMeetingList(event), [{ op: 'remove', nodeMeetingID: KEY_A, tenant: 'acme', scope: 'acme' }]);
});
t.test('MeetingPlaced and MeetingCreateFailed / change nothing: not running yet', async (t) => {
  t.same(projectMeetingList(placedA), []);
  t.same(projectMeetingList(failedA), []);
});
t.test('an undecodable or foreign event / throws instead of skipping it', async (t) => {
  t.throws(() => projectMeetingList(recorded('MeetingExploded', {})), /unknown event type/);
  t.throws(() => projectMeetingList(recorded('NodeEnabled', { nodeId: 'n1' })), /not a meeting event/);
  t.throws(() => projectMeetingList(recorded('MeetingEnded', { ...idA, nodeId: 'n1', reason: 'api' }, 'meeting-other-x')), /unexpected stream/);
});

const history = [placedA, createdA, moderatorJoinedA, viewerJoinedA, viewerJoinedA, createdB, windowJoinedA, windowJoinedA, endedA, placedA, failedA, abandonedA];

t.test('in-process model: every event applied twice leaves the same model as applied once', async (t) => {
  for (let upTo = 1; upTo <= history.length; upTo++) {
    const once = new InMemoryMeetingList();
    const twice = new InMemoryMeetingList();
    for (const event of history.slice(0, upTo)) {
      const ops: MeetingListOp[] = projectMeetingList(event);
      once.apply(ops);
      twice.apply(ops);
      twice.apply(ops);
    }
    t.same(await twice.list('acme', 'acme'), await once.list('acme', 'acme'), `after ${upTo} events`);
  }
});

t.test('in-process model: routing, counts, scopes', async (t) => {
  const model = new InMemoryMeetingList();
  for (const event of history.slice(0, 6)) model.apply(projectMeetingList(event));
  t.match(await model.find(KEY_A), { ...entryA, moderatorJoins: 1, viewerJoins: 1 }, 'a join event replayed counts once');
  model.apply(projectMeetingList(windowJoinedA));
  model.apply(projectMeetingList(windowJoinedA));
  t.match(await model.find(KEY_A), { moderatorJoins: 3, viewerJoins: 6 }, 'a window of joins adds its counts, once');
  t.same((await model.list('acme', 'acme')).map((m) => m.scope), ['acme-007', 'acme'], 'sub 0 sees every scope of its tenant, oldest first');
  t.same((await model.list('acme', 'acme-007')).map((m) => m.nodeMeetingID), [KEY_B], 'a sub sees only its own');
  t.same(await model.list('other', 'other'), []);
  model.apply(projectMeetingList(endedA));
  t.equal(await model.find(KEY_A), undefined, 'ended: no routing');
  model.apply(projectMeetingList(viewerJoinedA));
  t.equal(await model.find(KEY_A), undefined, 'a join trailing the end does not resurrect it');
});

t.test('the BBB view / client meeting ID, counts from joins, no attendees, passwords only when set', async (t) => {
  const view = bbbMeetingOf({ ...entryA, moderatorJoins: 1, viewerJoins: 2, counts: null });
  t.match(view, { meetingID: 'room & <1>', meetingName: 'Room', internalMeetingID: 'int-1', createDate: 'Tue Nov 14 22:13:20 UTC 2023' });
  t.match(view, { running: true, hasUserJoined: true, participantCount: 3, moderatorCount: 1, attendees: [], isBreakout: false, metadata: { origin: 'lms' } });
  t.equal(view.attendeePW, 'ap');
  t.notOk('moderatorPW' in view);
  t.match(bbbMeetingOf({ ...entryA, moderatorJoins: 0, viewerJoins: 0, counts: null }), { running: false, participantCount: 0 });
});

t.test('in-process model: the same frozen view until the meeting changes (getMeetings caches its XML by it)', async (t) => {
  const model = new InMemoryMeetingList();
  model.apply(projectMeetingList(createdA));
  const first = await model.find(KEY_A);
  t.ok(Object.isFrozen(first) && Object.isFrozen(first?.metadata), 'frozen, metadata included');
  t.equal(await model.find(KEY_A), first, 'unchanged: the same object');
  t.equal((await model.list('acme', 'acme'))[0], first, 'list hands out the same one');
  model.apply(projectMeetingList(windowJoinedA));
  const joined = await model.find(KEY_A);
  t.not(joined, first, 'a join makes a new view');
  t.match(joined, { moderatorJoins: 2, viewerJoins: 5 });
  t.match(first, { moderatorJoins: 0, viewerJoins: 0 }, 'the earlier view keeps what it showed');
});

const countsA = (participantCount: number, at: string) =>
  recorded('MeetingParticipantsChanged', { ...idA, nodeId: 'n1', participantCount, moderatorCount: 0, listenerCount: 0, voice: 0, video: 0, running: true, at });

t.test('in-process model: a join window appended after a poll taken later / is in the poll count already', async (t) => {
  const model = new InMemoryMeetingList();
  model.apply(projectMeetingList(createdA));
  // windowJoinedA's last join was at 10:00:03.200; the poll at 10:00:03.300 saw all seven.
  model.apply(projectMeetingList(countsA(7, '2026-11-23T10:00:03.300Z')));
  model.apply(projectMeetingList(windowJoinedA));
  t.match(bbbMeetingOf((await model.find(KEY_A))!), { participantCount: 7 });
  model.apply(projectMeetingList(countsA(7, '2026-11-23T10:00:03.100Z')));
  model.apply(projectMeetingList(windowJoinedA));
  t.match(await model.find(KEY_A), { moderatorJoins: 2, viewerJoins: 5 }, 'a poll taken before the joins does not have them');
});

t.test('in process, a listed scope / is answered with the same list until a meeting of its tenant changes', async (t) => {
  const model = new InMemoryMeetingList();
  const globex = { tenant: 'globex', scope: 'globex', meetingID: 'g' };
  const keyG = `globex-${'c'.repeat(40)}`;
  model.apply([...projectMeetingList(createdA), ...projectMeetingList(createdB), ...projectMeetingList(recorded('MeetingCreated', createdData(globex, keyG), `meeting-${keyG}`))]);
  const first = await model.list('acme', 'acme');
  const globexFirst = await model.list('globex', 'globex');
  t.equal(await model.list('acme', 'acme'), first, 'the very same list while nothing changed');
  t.ok(Object.isFrozen(first), 'frozen: callers share it');
  model.apply(projectMeetingList(windowJoinedA));
  const joined = await model.list('acme', 'acme');
  t.not(joined, first, 'a join of the tenant lists anew');
  t.equal(joined.find((m) => m.nodeMeetingID === KEY_A)?.viewerJoins, 5);
  t.equal(await model.list('globex', 'globex'), globexFirst, 'another tenant keeps its list');
  model.apply(projectMeetingList(endedA));
  t.same((await model.list('acme', 'acme')).map((m) => m.nodeMeetingID), [KEY_B], 'an end lists anew');
  t.same((await model.list('acme', 'acme-007')).map((m) => m.nodeMeetingID), [KEY_B]);
});
