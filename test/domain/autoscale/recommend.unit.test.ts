import t from 'tap';
import type { AutoscaleRecommendationChanged } from '../../../src/domain/autoscale/events.js';
import { evolveAutoscale, INITIAL_AUTOSCALE_STATE, nodeUtilisation, reactToTick, recommend, type AutoscaleNode, type AutoscalePolicy, type AutoscaleState } from '../../../src/domain/autoscale/recommend.js';
import { decodeEvent } from '../../../src/domain/eventCatalogue.js';
import { deciderSpec } from '../../support/deciderSpec.js';
import { storedEvent } from '../../support/events.js';

const POLICY: AutoscalePolicy = { highWatermark: 0.8, lowWatermark: 0.3, minimumNodes: 2, cooldownMs: 600_000, participantsPerNode: 100 };
const HISTORY_AT = Date.parse('2026-11-23T09:00:00.000Z');
const AFTER_COOLDOWN = new Date(HISTORY_AT + POLICY.cooldownMs);
const WITHIN_COOLDOWN = new Date(HISTORY_AT + POLICY.cooldownMs - 1);

const node = (id: string, participants: number, more: Partial<AutoscaleNode> = {}): AutoscaleNode => ({
  id, adminState: 'enabled', health: 'available', meetings: participants > 0 ? 1 : 0, participants, cpu: null, memory: null, loadFactor: 1, ...more,
});

/** The process as a decider: ticks are its commands, its recorded changes its events. */
const autoscale = deciderSpec<{ nodes: AutoscaleNode[] }, AutoscaleRecommendationChanged, AutoscaleState>({
  initialState: () => INITIAL_AUTOSCALE_STATE,
  evolve: (state, event) => evolveAutoscale(state, event, HISTORY_AT),
  decide: (tick, state, { now }) => {
    const event = reactToTick(state, tick.nodes, POLICY, now.getTime());
    return event ? [event] : [];
  },
});

const changed = (nodes: AutoscaleNode[], previous: -1 | 0 | 1 | null): AutoscaleRecommendationChanged => ({
  type: 'AutoscaleRecommendationChanged',
  data: { ...recommend(nodes, POLICY), previous },
});

const busy = [node('a', 90), node('b', 95)];
const steady = [node('a', 50), node('b', 60)];
const quiet = [node('a', 10), node('b', 5), node('c', 0)];

t.test('given no recommendation yet / when the fleet is busy / then +1 with the numbers behind it', async () => {
  autoscale.given([]).when({ nodes: busy }, AFTER_COOLDOWN).then([
    {
      type: 'AutoscaleRecommendationChanged',
      data: {
        recommendation: 1, desiredNodes: 4, activeNodes: 2, utilisation: 0.925, participants: 185, meetings: 2,
        highWatermark: 0.8, lowWatermark: 0.3, minimumNodes: 2, removeNodeId: null, reason: 'aboveHighWatermark', previous: null,
      },
    },
  ]);
});

t.test('given +1 was recommended / when nothing changed / then nothing is recorded', async () => {
  autoscale.given([changed(busy, null)]).when({ nodes: busy }, AFTER_COOLDOWN).thenNothingHappens();
});

t.test('given +1 was recommended / when the fleet calms down within the cool-down / then nothing is recorded yet', async () => {
  autoscale.given([changed(busy, null)]).when({ nodes: steady }, WITHIN_COOLDOWN).thenNothingHappens();
});

t.test('given +1 was recommended / when the fleet is steady after the cool-down / then 0', async () => {
  autoscale.given([changed(busy, null)]).when({ nodes: steady }, AFTER_COOLDOWN).then([changed(steady, 1)]);
});

t.test('given 0 / when the fleet is quiet / then -1, down to the minimum at most', async (t) => {
  autoscale.given([changed(steady, null)]).when({ nodes: quiet }, AFTER_COOLDOWN).then([changed(quiet, 0)]);
  t.equal(recommend(quiet, POLICY).desiredNodes, 2);
  t.equal(recommend(quiet, POLICY).removeNodeId, null, 'no node is drained yet');
});

t.test('when a cordoned node is empty / then it is named as the one to remove', async (t) => {
  const draining = [node('a', 10), node('b', 5), node('c', 0), node('d', 0, { adminState: 'cordoned' }), node('e', 3, { adminState: 'cordoned' })];
  const r = recommend(draining, POLICY);
  t.equal(r.recommendation, -1);
  t.equal(r.removeNodeId, 'd', 'the cordoned node with users is still draining');
});

// Issue 15 §4: "A drained (cordoned, empty) node is named as the one to remove". In the running product the drain
// saga turns a cordoned node disabled (NodeDisabled, reason drained) at the first poll that finds it empty, so
// the drained node the operator waits for is a disabled, empty one.
t.test('given a cordoned node whose drain completed (now disabled, empty) / when the fleet is quiet / then it is named as the one to remove', async (t) => {
  const drained = [node('a', 10), node('b', 5), node('c', 0), node('d', 0, { adminState: 'disabled' })];
  const r = recommend(drained, POLICY);
  t.equal(r.recommendation, -1);
  t.equal(r.removeNodeId, 'd');
  t.equal(recommend([node('a', 50), node('b', 60), node('d', 0, { adminState: 'disabled' })], POLICY).removeNodeId, 'd', 'named within the watermarks too');
});

t.test('when fewer nodes are active than the minimum / then +1 up to the minimum, whatever the load', async (t) => {
  const r = recommend([node('a', 0), node('b', 0, { health: 'offline' }), node('c', 0, { adminState: 'disabled' })], POLICY);
  t.same([r.recommendation, r.desiredNodes, r.activeNodes, r.reason], [1, 2, 1, 'belowMinimum']);
});

t.test('when the quiet fleet is at the minimum / then 0', async (t) => {
  t.equal(recommend([node('a', 1), node('b', 1)], POLICY).recommendation, 0);
});

t.test('a node is as busy as the busiest of CPU, memory and seats for its size', async (t) => {
  t.equal(nodeUtilisation(node('a', 20, { cpu: 0.5, memory: 0.9 }), POLICY), 0.9);
  t.equal(nodeUtilisation(node('a', 20, { cpu: 0.5 }), POLICY), 0.5);
  t.equal(nodeUtilisation(node('a', 40, { loadFactor: 2 }), POLICY), 0.8, 'a node of load factor 2 has half the seats');
  t.equal(recommend([node('a', 10, { cpu: 0.95 }), node('b', 10, { cpu: 0.9 })], POLICY).recommendation, 1, 'CPU alone can call for a node');
});

t.test('the recorded event reads back through the catalogue', async (t) => {
  const event = changed(quiet, 0);
  const stored = storedEvent(event.type, event.data, { streamId: 'autoscale-cluster', schemaVersion: 1 });
  t.same(decodeEvent(stored), event);
});
