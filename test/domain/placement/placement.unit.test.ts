import t from 'tap';
import { chooseNode, DEFAULT_MEETING_WEIGHT, loadOf, rankNodes, type PlacementNode } from '../../../src/domain/placement/placement.js';

const node = (id: string, overrides: Partial<PlacementNode> = {}): PlacementNode => ({
  id,
  apiUrl: `https://${id}.example.com/bigbluebutton/api/`,
  secret: 's',
  checksumAlgorithm: 'sha256',
  adminState: 'enabled',
  health: 'available',
  meetings: 0,
  participants: 0,
  loadFactor: 1,
  tags: [],
  ...overrides,
});

t.test('when there are no nodes / should choose none', async (t) => {
  t.equal(chooseNode([]), undefined);
});

t.test('when nodes are cordoned, disabled, decommissioned, unstable or offline / should never choose them', async (t) => {
  const nodes = [
    node('a', { adminState: 'cordoned' }),
    node('b', { adminState: 'disabled' }),
    node('c', { adminState: 'decommissioned' }),
    node('d', { health: 'unstable' }),
    node('e', { health: 'offline' }),
  ];
  t.equal(chooseNode(nodes), undefined);
  t.equal(chooseNode([...nodes, node('f', { meetings: 100 })])?.id, 'f', 'a loaded healthy node beats them all');
});

t.test('when loads differ / should choose the least loaded, meetings weighing as participants', async (t) => {
  t.equal(loadOf(node('x', { meetings: 2, participants: 3, loadFactor: 2 })), (2 * DEFAULT_MEETING_WEIGHT + 3) * 2);
  const nodes = [node('a', { participants: 20 }), node('b', { meetings: 1 }), node('c', { participants: 16 })];
  t.same(rankNodes(nodes).map((n) => n.id), ['b', 'c', 'a']);
  t.equal(chooseNode(nodes, { meetingWeight: 30 })?.id, 'c', 'a heavier meeting weight changes the order');
});

t.test('when a node has a higher load factor / should fill up faster', async (t) => {
  t.equal(chooseNode([node('small', { participants: 10, loadFactor: 3 }), node('big', { participants: 20 })])?.id, 'big');
});

t.test('when loads tie / should break the tie by id, whatever the input order', async (t) => {
  t.equal(chooseNode([node('n2'), node('n3'), node('n1')])?.id, 'n1');
  t.equal(chooseNode([node('n3'), node('n1'), node('n2')])?.id, 'n1');
});

t.test('when nodes are excluded (a failed create) / should choose among the others', async (t) => {
  const nodes = [node('a'), node('b'), node('c')];
  t.equal(chooseNode(nodes, { exclude: ['a'] })?.id, 'b');
  t.equal(chooseNode(nodes, { exclude: ['a', 'b', 'c'] }), undefined);
});
