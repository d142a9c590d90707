import t from 'tap';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { emptyPlacementRequest, type PlacementRequest } from '../../../src/domain/placement/placement.js';
import { carriesRequiredTags, notExcluded, rankNodes, takesNewMeetings, whyNoNode } from '../../../src/domain/placement/placementChain.js';
import type { Reservation } from '../../../src/domain/placement/reservations.js';
import { node } from './placementNode.js';

const W = { ...DEFAULT_LOAD_WEIGHTS, participant: 1, meeting: 15, cpuMax: 5000, cpuOrder: 6 };
const NOW = Date.parse('2026-11-23T10:00:00Z');
const request = (overrides: Partial<PlacementRequest> = {}): PlacementRequest => ({ ...emptyPlacementRequest(NOW), ...overrides });
const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);
const rank = (nodes: Parameters<typeof rankNodes>[0], overrides: Partial<PlacementRequest> = {}) => ids(rankNodes(nodes, request(overrides), W));

t.test('when there are no nodes / ranks none', async (t) => {
  t.same(rank([]), []);
});

t.test('when nodes are cordoned, disabled, decommissioned, unstable or offline / never ranks them', async (t) => {
  const nodes = [
    node('a', { adminState: 'cordoned' }),
    node('b', { adminState: 'disabled' }),
    node('c', { adminState: 'decommissioned' }),
    node('d', { health: 'unstable' }),
    node('e', { health: 'offline' }),
  ];
  t.same(ids(takesNewMeetings(nodes, request())), []);
  t.same(rank([...nodes, node('f', { meetings: 100 })]), ['f'], 'a loaded healthy node beats them all');
});

t.test('when nodes were tried (a failed create) / ranks the others', async (t) => {
  const nodes = [node('a'), node('b'), node('c')];
  t.same(ids(notExcluded(nodes, request({ exclude: ['a'] }))), ['b', 'c']);
  t.same(rank(nodes, { exclude: ['a', 'b', 'c'] }), []);
});

t.test('when tags are required / ranks only nodes carrying all of them; "none" means untagged', async (t) => {
  const nodes = [node('plain'), node('eu', { tags: ['eu'] }), node('eu-large', { tags: ['eu', 'large'] }), node('us', { tags: ['us'] })];
  t.same(ids(carriesRequiredTags(nodes, request({ requiredTags: ['eu'] }))), ['eu', 'eu-large']);
  t.same(rank(nodes, { requiredTags: ['eu', 'large'] }), ['eu-large']);
  t.same(rank(nodes, { requiredTags: ['none'] }), ['plain']);
  t.same(rank(nodes, { requiredTags: ['gpu'] }), []);
});

t.test('when tags are preferred / ranks nodes with one of them first, the others after as fallbacks', async (t) => {
  const nodes = [node('a'), node('b', { tags: ['large'], participants: 500 }), node('c', { tags: ['large'] }), node('d', { tags: ['gpu'], participants: 1 })];
  t.same(rank(nodes, { preferredTags: ['large'] }), ['c', 'b', 'a', 'd'], 'preferred by load, then the rest by load');
  t.same(rank(nodes, { preferredTags: ['large', 'gpu'] }), ['c', 'd', 'b', 'a']);
  t.same(rank(nodes, { preferredTags: ['none'] }), ['a', 'c', 'd', 'b']);
  t.same(rank(nodes, { preferredTags: ['absent'] }), ['a', 'c', 'd', 'b'], 'a preference nobody meets changes nothing');
});

t.test('when tags are both required and preferred / preference orders within the required pool', async (t) => {
  const nodes = [node('eu', { tags: ['eu'] }), node('eu-large', { tags: ['eu', 'large'], participants: 50 }), node('large', { tags: ['large'] })];
  t.same(rank(nodes, { requiredTags: ['eu'], preferredTags: ['large'] }), ['eu-large', 'eu']);
});

t.test('when loads differ / ranks the least loaded first, by the load model', async (t) => {
  const nodes = [node('a', { participants: 20 }), node('b', { meetings: 1 }), node('c', { participants: 16 })];
  t.same(rank(nodes), ['b', 'c', 'a'], 'a meeting weighs 15 participants');
  t.same(ids(rankNodes(nodes, request(), { ...W, meeting: 30 })), ['c', 'a', 'b'], 'a heavier meeting weight changes the order');
  t.same(rank([node('small', { participants: 10, loadFactor: 3 }), node('big', { participants: 20 })]), ['big', 'small'], 'a higher load factor fills up faster');
  t.same(rank([node('hot', { cpu: 0.9 }), node('busy', { participants: 100, meetings: 4 })]), ['busy', 'hot'], '90 % CPU outweighs 160 participant equivalents');
  t.same(rank([node('breakouts', { breakoutMeetings: 4 }), node('one', { meetings: 1 })]), ['one', 'breakouts'], 'breakout rooms count');
});

t.test('when a node has fresh reservations / ranks it behind an equal node without', async (t) => {
  const reservations: Reservation[] = [{ meeting: 'm1', nodeId: 'a', seats: 20, at: NOW, countsMeeting: true }];
  t.same(rank([node('a'), node('b')], { reservations }), ['b', 'a']);
  const cooled: Reservation[] = [{ ...reservations[0]!, at: NOW - W.cooldownMs }];
  t.same(rank([node('a'), node('b')], { reservations: cooled }), ['a', 'b'], 'a cooled-down reservation no longer counts');
});

t.test('when loads tie / breaks the tie by id, whatever the input order', async (t) => {
  t.same(rank([node('n2'), node('n3'), node('n1')]), ['n1', 'n2', 'n3']);
  t.same(rank([node('n3'), node('n1'), node('n2')]), ['n1', 'n2', 'n3']);
});

t.test('a burst ranked one after another with its own reservations / spreads evenly', async (t) => {
  const nodes = ['n1', 'n2', 'n3', 'n4'].map((id) => node(id));
  const reservations: Reservation[] = [];
  const placed: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    const best = rankNodes(nodes, request({ reservations, now: NOW + i }), W)[0]!;
    reservations.push({ meeting: `m${i}`, nodeId: best.id, seats: 20, at: NOW + i, countsMeeting: true });
    placed[best.id] = (placed[best.id] ?? 0) + 1;
  }
  t.same(placed, { n1: 10, n2: 10, n3: 10, n4: 10 });
});

t.test('why no node / tells a required tag nobody carries from an empty pool', async (t) => {
  const nodes = [node('a'), node('eu', { tags: ['eu'], health: 'offline' })];
  t.same(whyNoNode(nodes, request({ requiredTags: ['eu'] }), ['eu'], W), { kind: 'serverTagUnavailable', tags: ['eu'] });
  t.same(whyNoNode(nodes, request({ requiredTags: ['eu'] }), [], W), { kind: 'noNodeAvailable' }, "the tenant's own tags: no servers");
  t.same(whyNoNode([node('x', { health: 'offline' })], request({ requiredTags: ['eu'] }), ['eu'], W), { kind: 'noNodeAvailable' }, 'no node at all');
});
