import t from 'tap';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import type { LoadWeights } from '../../../src/domain/placement/loadModel.js';
import { emptyPlacementRequest } from '../../../src/domain/placement/placement.js';
import { rankNodes, whyNoNode } from '../../../src/domain/placement/placementChain.js';
import { node } from './placementNode.js';

const W: LoadWeights = { ...DEFAULT_LOAD_WEIGHTS, participant: 1, meeting: 15, breakoutMeeting: 0, cpuMax: 0, cpuOrder: 0, reservedSeats: 5, cooldownMs: 300_000 };
const request = emptyPlacementRequest(Date.parse('2026-12-04T10:00:00Z'));
const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

t.test('when a node would go past its maxLoad with one more meeting / it takes no new meeting', async (t) => {
  // a: 1 meeting (15) + 10 participants = 25; one more meeting adds 15 + 5 seats = 20 → 45
  const a = node('a', { meetings: 1, participants: 10, maxLoad: 44 });
  const b = node('b', { meetings: 3, participants: 40, maxLoad: null });
  t.same(ids(rankNodes([a, b], request, W)), ['b'], 'the busier node without a cap takes it');
  t.same(ids(rankNodes([{ ...a, maxLoad: 45 }, b], request, W)), ['a', 'b'], 'exactly at the cap fits');
  t.same(ids(rankNodes([a, b], { ...request, seats: 0 }, W)), ['a', 'b'], "a smaller size hint fits where the default reservation didn't");
});

t.test('a load factor / scales what the new meeting adds', async (t) => {
  const small = node('s', { loadFactor: 2, maxLoad: 39 });
  t.same(ids(rankNodes([small], request, W)), [], '2 × (15 + 5) = 40 > 39');
});

t.test('why no node / serverFull with each node’s numbers when eligible nodes are all full; otherwise as before', async (t) => {
  const full = [node('a', { meetings: 1, maxLoad: 20 }), node('b', { maxLoad: 10 })];
  t.same(whyNoNode(full, request, [], W), { kind: 'serverFull', detail: 'a: load 15 + 20 > maxLoad 20; b: load 0 + 20 > maxLoad 10' });
  t.same(whyNoNode([node('c', { health: 'offline', maxLoad: 1 })], request, [], W), { kind: 'noNodeAvailable' }, 'an offline node is not "full"');
  t.same(whyNoNode([node('d', { tags: ['eu'] })], { ...request, requiredTags: ['us'] }, ['us'], W), { kind: 'serverTagUnavailable', tags: ['us'] });
});
