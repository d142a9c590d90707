import t from 'tap';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { projectNodeList, type NodeListEntry, type NodeListOp } from '../../src/projections/nodeList.js';
import { InMemoryNodeList } from '../../src/projections/nodeListMemory.js';
import { eventLog, TEST_AT } from '../support/events.js';

const log = eventLog({ actor: 'admin:t', streamId: 'node-n1' });
const recorded = (type: string, data: JsonValue, at = TEST_AT): RecordedEvent => log(type, data, { at });

const registered = recorded('NodeRegistered', {
  nodeId: 'n1',
  url: 'https://bbb1.example.com/bigbluebutton/api/',
  secret: 'never-show-me',
  checksumAlgorithm: 'sha512',
  tags: ['eu'],
  loadFactor: 2,
});

const entry: NodeListEntry = {
  id: 'n1',
  url: 'https://bbb1.example.com/bigbluebutton/api/',
  checksumAlgorithm: 'sha512',
  tags: ['eu'],
  loadFactor: 2,
  maxLoad: null,
  adminState: 'enabled',
  health: 'unknown',
  meetings: 0,
  participants: 0,
  registeredAt: '2026-11-23T10:00:00.000Z',
};

t.test('NodeRegistered / puts the entry, without the secret, registered at the event time', async (t) => {
  const ops = projectNodeList(registered);
  t.same(ops, [{ op: 'put', entry }]);
  t.notMatch(JSON.stringify(ops), /never-show-me/);
});

for (const [type, adminState] of [
  ['NodeEnabled', 'enabled'],
  ['NodeCordoned', 'cordoned'],
  ['NodeDisabled', 'disabled'],
  ['NodeDecommissioned', 'decommissioned'],
] as const) {
  t.test(`${type} / sets the admin state to ${adminState}`, async (t) => {
    t.same(projectNodeList(recorded(type, { nodeId: 'n1' })), [{ op: 'setAdminState', id: 'n1', adminState }]);
  });
}

t.test('NodeHealthChanged / sets the health', async (t) => {
  const data = { nodeId: 'n1', health: 'unstable', previous: 'available', reason: 'http', detail: 'HTTP 502' };
  t.same(projectNodeList(recorded('NodeHealthChanged', data)), [{ op: 'setHealth', id: 'n1', health: 'unstable' }]);
});

t.test('an undecodable event / throws naming the event instead of skipping it', async (t) => {
  t.throws(() => projectNodeList(recorded('NodeExploded', { nodeId: 'n1' })), /NodeExploded at node-n1@\d+: unknown event type/);
});

t.test('in-process model: every event applied twice leaves the same model as applied once', async (t) => {
  const history = [
    registered,
    recorded('NodeHealthChanged', { nodeId: 'n1', health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '' }),
    recorded('NodeCordoned', { nodeId: 'n1' }),
    recorded('NodeDisabled', { nodeId: 'n1' }),
    recorded('NodeEnabled', { nodeId: 'n1' }),
    recorded('NodeHealthChanged', { nodeId: 'n1', health: 'offline', previous: 'available', reason: 'timeout', detail: '' }),
    recorded('NodeDecommissioned', { nodeId: 'n1' }),
  ];
  for (let upTo = 1; upTo <= history.length; upTo++) {
    const once = new InMemoryNodeList();
    const twice = new InMemoryNodeList();
    for (const event of history.slice(0, upTo)) {
      const ops = projectNodeList(event);
      once.apply(ops);
      twice.apply(ops);
      twice.apply(ops);
    }
    t.same(await twice.list(), await once.list(), `after ${history[upTo - 1]!.type}`);
  }
  const model = new InMemoryNodeList();
  for (const event of history) model.apply(projectNodeList(event));
  t.match(await model.get('n1'), { adminState: 'decommissioned', health: 'offline', checksumAlgorithm: 'sha512' });
});

t.test('in-process model: list is ordered by registration time then id; get finds one', async (t) => {
  const model = new InMemoryNodeList();
  const put = (id: string, registeredAt: string): NodeListOp => ({ op: 'put', entry: { ...entry, id, registeredAt } });
  model.apply([put('b', '2026-01-02T00:00:00.000Z'), put('c', '2026-01-01T00:00:00.000Z'), put('a', '2026-01-02T00:00:00.000Z')]);
  t.same((await model.list()).map((e) => e.id), ['c', 'a', 'b']);
  t.equal((await model.get('a'))?.id, 'a');
  t.equal(await model.get('zzz'), undefined);
});

t.test('in-process model: an admin change for an unknown node adds nothing', async (t) => {
  const model = new InMemoryNodeList();
  model.apply([{ op: 'setAdminState', id: 'ghost', adminState: 'disabled' }, { op: 'setHealth', id: 'ghost', health: 'offline' }]);
  t.same(await model.list(), []);
});

t.test('NodeTagsChanged / the list shows the new tags; applied twice the same; unknown nodes add nothing', async (t) => {
  const retagged = recorded('NodeTagsChanged', { nodeId: 'n1', tags: ['gpu'] });
  t.same(projectNodeList(retagged), [{ op: 'setTags', id: 'n1', tags: ['gpu'] }]);
  const model = new InMemoryNodeList();
  model.apply(projectNodeList(registered));
  model.apply(projectNodeList(retagged));
  model.apply(projectNodeList(retagged));
  t.same((await model.get('n1'))?.tags, ['gpu']);
  const empty = new InMemoryNodeList();
  empty.apply([{ op: 'setTags', id: 'ghost', tags: ['x'] }]);
  t.same(await empty.list(), []);
});
