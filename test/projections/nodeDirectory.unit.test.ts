import t from 'tap';
import type { PlacementNode } from '../../src/domain/placement/placement.js';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { projectNodeDirectory, type DirectoryNode } from '../../src/projections/nodeDirectory.js';
import { InMemoryNodeDirectory } from '../../src/projections/nodeDirectoryMemory.js';
import { eventLog } from '../support/events.js';

const log = eventLog({ actor: 'admin:t' });
const recorded = (type: string, data: JsonValue, nodeId = 'n1'): RecordedEvent => log(type, { nodeId, ...(data as object) }, { streamId: `node-${nodeId}` });

const registered = (nodeId = 'n1') =>
  recorded('NodeRegistered', { url: `https://${nodeId}.example.com/bigbluebutton/api/`, secret: `secret-${nodeId}`, checksumAlgorithm: 'sha384', tags: ['eu'], loadFactor: 2 }, nodeId);
const health = (health: string) => recorded('NodeHealthChanged', { health, previous: 'unknown', reason: 'probeSucceeded', detail: '' });

const expected: DirectoryNode = {
  id: 'n1',
  apiUrl: 'https://n1.example.com/bigbluebutton/api/',
  secret: 'secret-n1',
  checksumAlgorithm: 'sha384',
  adminState: 'enabled',
  health: 'offline',
  meetings: 0,
  participants: 0,
  cpu: null,
  memory: null,
  breakoutMeetings: 0,
  loadFactor: 2,
  tags: ['eu'],
  maxLoad: null,
};

t.test('NodeRegistered / a new node holds its secret and algorithm, enabled, not yet probed (offline), no load', async (t) => {
  const directory = new InMemoryNodeDirectory();
  directory.apply(projectNodeDirectory(registered()));
  t.same(directory.get('n1'), expected);
});

for (const [type, adminState] of [
  ['NodeCordoned', 'cordoned'],
  ['NodeDisabled', 'disabled'],
  ['NodeDecommissioned', 'decommissioned'],
  ['NodeEnabled', 'enabled'],
] as const) {
  t.test(`${type} / sets the admin state to ${adminState}`, async (t) => {
    t.same(projectNodeDirectory(recorded(type, {})), [{ op: 'setAdminState', id: 'n1', adminState }]);
  });
}

t.test('NodeHealthChanged / sets the health the poller saw', async (t) => {
  const directory = new InMemoryNodeDirectory();
  for (const event of [registered(), health('available')]) directory.apply(projectNodeDirectory(event));
  t.equal(directory.get('n1')?.health, 'available');
  directory.apply(projectNodeDirectory(health('unstable')));
  t.equal(directory.get('n1')?.health, 'unstable');
});

t.test('every event applied twice leaves the same directory as applied once', async (t) => {
  const history = [registered(), health('available'), recorded('NodeCordoned', {}), recorded('NodeDisabled', {}), health('offline'), recorded('NodeEnabled', {}), recorded('NodeDecommissioned', {})];
  const once = new InMemoryNodeDirectory();
  const twice = new InMemoryNodeDirectory();
  for (const event of history) {
    const ops = projectNodeDirectory(event);
    once.apply(ops);
    twice.apply(ops);
    twice.apply(ops);
    t.same(twice.nodesForPlacement(), once.nodesForPlacement(), `after ${event.type}`);
  }
  t.match(once.get('n1'), { adminState: 'decommissioned', health: 'offline' });
});

t.test('nodesForPlacement / every node, decommissioned too, ordered by id, as placement nodes', async (t) => {
  const directory = new InMemoryNodeDirectory();
  for (const id of ['b', 'c', 'a']) directory.apply(projectNodeDirectory(registered(id)));
  directory.apply(projectNodeDirectory(recorded('NodeDecommissioned', {}, 'c')));
  const nodes: PlacementNode[] = directory.nodesForPlacement();
  t.same(nodes.map((n) => [n.id, n.adminState]), [['a', 'enabled'], ['b', 'enabled'], ['c', 'decommissioned']]);
  nodes[0]!.tags.push('mutated');
  t.same(directory.get('a')?.tags, ['eu'], 'callers get copies');
});

t.test('a change for a node never registered / adds nothing', async (t) => {
  const directory = new InMemoryNodeDirectory();
  directory.apply([{ op: 'setHealth', id: 'ghost', health: 'available' }, { op: 'setAdminState', id: 'ghost', adminState: 'disabled' }]);
  t.same(directory.nodesForPlacement(), []);
});

t.test('an event this code cannot decode / throws instead of skipping it', async (t) => {
  t.throws(() => projectNodeDirectory(recorded('NodeExploded', {})), /unknown event type/);
});
