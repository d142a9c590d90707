import t from 'tap';
import { meetingsAnswer } from '../../../src/http/bbb/getMeetingsCall.js';
import { MeetingsAnswerCache } from '../../../src/http/bbb/meetingsAnswerCache.js';
import type { MeetingListEntry, MeetingReadModel } from '../../../src/projections/meetingList.js';
import { InMemoryMeetingList } from '../../../src/projections/meetingListMemory.js';

const entry = (tenant: string, meetingID: string, name = meetingID): MeetingListEntry => ({
  tenant, scope: tenant, meetingID, nodeId: 'n1', nodeMeetingID: `${tenant}/${meetingID}`, name, internalMeetingID: `int-${meetingID}`,
  createTime: 1_700_000_000_000, voiceBridge: '70001', dialNumber: '', attendeePW: null, moderatorPW: null, metadata: {},
});

/** An in-process meeting list that counts how often getMeetings lists it. */
function countedList() {
  const model = new InMemoryMeetingList();
  let lists = 0;
  const counted: MeetingReadModel = {
    find: (id) => model.find(id),
    list: (tenant, scope) => {
      lists += 1;
      return model.list(tenant, scope);
    },
    listVersion: (tenant) => model.listVersion(tenant),
  };
  return { model, counted, lists: () => lists };
}

t.test('while the read model gives the same list version / the whole answer is reused without listing', async (t) => {
  const { model, counted, lists } = countedList();
  model.apply([{ op: 'putRunning', entry: entry('acme', 'r1') }]);
  const cache = new MeetingsAnswerCache();
  const first = await meetingsAnswer(cache, counted, 'acme', 'acme');
  t.match(first.xml, /<meetingID>r1<\/meetingID>/);
  t.equal(await meetingsAnswer(cache, counted, 'acme', 'acme'), first, 'the very same answer, encoded once');
  t.equal(lists(), 1, 'listed once');
});

t.test('when a meeting of the tenant changes / the version moves and the answer shows the change', async (t) => {
  const { model, counted } = countedList();
  model.apply([{ op: 'putRunning', entry: entry('acme', 'r1') }]);
  const cache = new MeetingsAnswerCache();
  const before = model.listVersion('acme');
  await meetingsAnswer(cache, counted, 'acme', 'acme');
  model.apply([{ op: 'putRunning', entry: entry('acme', 'r2') }]);
  t.not(model.listVersion('acme'), before);
  t.match((await meetingsAnswer(cache, counted, 'acme', 'acme')).xml, /<meetingID>r1<\/meetingID>[\s\S]*<meetingID>r2<\/meetingID>/);
});

t.test('when another tenant changes / this tenant keeps its version and its answer', async (t) => {
  const { model, counted, lists } = countedList();
  model.apply([{ op: 'putRunning', entry: entry('acme', 'r1') }]);
  const cache = new MeetingsAnswerCache();
  const acme = await meetingsAnswer(cache, counted, 'acme', 'acme');
  model.apply([{ op: 'putRunning', entry: entry('globex', 'g1') }]);
  t.equal(await meetingsAnswer(cache, counted, 'acme', 'acme'), acme);
  t.equal(lists(), 1);
});

t.test('a read model without versions (Redis) / is listed and rendered for every answer', async (t) => {
  const { model, counted, lists } = countedList();
  model.apply([{ op: 'putRunning', entry: entry('acme', 'r1') }]);
  const unversioned: MeetingReadModel = { ...counted, listVersion: () => undefined };
  const cache = new MeetingsAnswerCache();
  const first = await meetingsAnswer(cache, unversioned, 'acme', 'acme');
  const second = await meetingsAnswer(cache, unversioned, 'acme', 'acme');
  t.not(second, first);
  t.equal(second.xml, first.xml);
  t.equal(lists(), 2);
});

t.test('two products / never share answers: each has its own cache', async (t) => {
  const one = countedList();
  const other = countedList();
  one.model.apply([{ op: 'putRunning', entry: entry('acme', 'r1') }]);
  other.model.apply([{ op: 'putRunning', entry: entry('acme', 'other') }]);
  // Both lists are at the same version: only separate caches keep their answers apart.
  t.equal(one.model.listVersion('acme'), other.model.listVersion('acme'));
  const a = await meetingsAnswer(new MeetingsAnswerCache(), one.counted, 'acme', 'acme');
  const b = await meetingsAnswer(new MeetingsAnswerCache(), other.counted, 'acme', 'acme');
  t.match(a.xml, /r1/);
  t.match(b.xml, /other/);
});
