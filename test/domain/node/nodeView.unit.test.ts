import assert from 'node:assert/strict';
import t from 'tap';
import type { NodeEvent, NodeRegistered } from '../../../src/domain/node/events.js';
import { ADMIN_STATE_OF, evolveNodeView, nodeFieldOf, nodeViewChange, withNodeField, type NodeView } from '../../../src/domain/node/nodeView.js';

const registered: NodeRegistered = {
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://bbb1.example.com/bigbluebutton/api/', secret: 's3cr3t', checksumAlgorithm: 'sha256', tags: ['eu'], loadFactor: 2 },
};

const fresh: NodeView = {
  nodeId: 'n1',
  url: 'https://bbb1.example.com/bigbluebutton/api/',
  secret: 's3cr3t',
  checksumAlgorithm: 'sha256',
  tags: ['eu'],
  loadFactor: 2,
  maxLoad: null,
  adminState: 'enabled',
  health: 'unknown',
  removed: false,
  load: null,
};

const health = (to: 'available' | 'offline'): NodeEvent => ({ type: 'NodeHealthChanged', data: { nodeId: 'n1', health: to, previous: 'unknown', reason: 'probeSucceeded', detail: '' } });
const load = { meetings: 2, participants: 14, voice: 3, video: 1, breakoutMeetings: 1, cpu: 0.4, memory: 0.5 };

/**
 * given(events) / when(event) / then(view): the view is always built by folding, never set directly; throws
 * an AssertionError on mismatch, so it works inside any tap test body.
 */
const given = (history: NodeEvent[]) => ({
  when: (event: NodeEvent) => ({
    then: (expected: NodeView | undefined) => assert.deepEqual([...history, event].reduce(evolveNodeView, undefined), expected),
  }),
});

t.test('NodeRegistered / starts enabled, health unknown, no cap, no load, not removed', async () => {
  given([]).when(registered).then(fresh);
});

t.test('each admin event / sets only the admin state its name says', async (t) => {
  t.same(ADMIN_STATE_OF, { NodeEnabled: 'enabled', NodeCordoned: 'cordoned', NodeDisabled: 'disabled', NodeDecommissioned: 'decommissioned' });
  for (const [type, adminState] of Object.entries(ADMIN_STATE_OF)) {
    given([registered, { type: 'NodeCordoned', data: { nodeId: 'n1' } }]).when({ type, data: { nodeId: 'n1' } } as NodeEvent).then({ ...fresh, adminState });
  }
});

t.test('NodeHealthChanged / sets only the health', async () => {
  given([registered]).when(health('available')).then({ ...fresh, health: 'available' });
});

t.test('NodeTagsChanged / replaces the whole set', async () => {
  given([registered]).when({ type: 'NodeTagsChanged', data: { nodeId: 'n1', tags: ['gpu', 'large'] } }).then({ ...fresh, tags: ['gpu', 'large'] });
});

t.test('NodeCapacityChanged / sets the cap, and null lifts it', async () => {
  const cap = (maxLoad: number | null): NodeEvent => ({ type: 'NodeCapacityChanged', data: { nodeId: 'n1', maxLoad } });
  given([registered]).when(cap(300)).then({ ...fresh, maxLoad: 300 });
  given([registered, cap(300)]).when(cap(null)).then(fresh);
});

t.test('NodeLoadReported / keeps the last report without its node id', async () => {
  const first: NodeEvent = { type: 'NodeLoadReported', data: { nodeId: 'n1', ...load, participants: 3 } };
  given([registered, first]).when({ type: 'NodeLoadReported', data: { nodeId: 'n1', ...load } }).then({ ...fresh, load });
});

t.test('NodeRemoved / stays decommissioned and is removed for good', async () => {
  const decommissioned: NodeEvent = { type: 'NodeDecommissioned', data: { nodeId: 'n1' } };
  given([registered, health('offline'), decommissioned]).when({ type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } }).then({ ...fresh, health: 'offline', adminState: 'decommissioned', removed: true });
});

t.test('NodeReportedUnknownMeeting / changes nothing the view holds', async (t) => {
  const unknown: NodeEvent = {
    type: 'NodeReportedUnknownMeeting',
    data: { nodeId: 'n1', nodeMeetingID: 'm', internalMeetingID: 'i', name: 'x', createTime: 1, participantCount: 0, explanation: 'notPlacedByUs', detail: '' },
  };
  given([registered]).when(unknown).then(fresh);
  t.equal(nodeViewChange(unknown), null);
});

t.test('an event before registration / leaves the node unregistered', async () => {
  given([]).when(health('available')).then(undefined);
  given([]).when({ type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } }).then(undefined);
});

t.test('a folded view / never shares the tags of the events it came from', async (t) => {
  const retag: NodeEvent = { type: 'NodeTagsChanged', data: { nodeId: 'n1', tags: ['eu'] } };
  const view = [registered, retag].reduce(evolveNodeView, undefined)!;
  t.not(view.tags, retag.data.tags);
  t.not(evolveNodeView(undefined, registered)!.tags, registered.data.tags);
});

t.test('withNodeField / keeps what a read model adds beyond the view, and applied twice is applied once', async (t) => {
  const entry = { id: 'n1', tags: ['eu'], maxLoad: null, adminState: 'enabled' as const, health: 'unknown' as const, registeredAt: '2026-12-05T00:00:00.000Z' };
  const change = nodeViewChange(health('offline'));
  if (change?.op !== 'setHealth') throw new Error('expected a health change');
  const once = withNodeField(entry, change);
  t.same(once, { ...entry, health: 'offline' });
  t.same(withNodeField(once, change), once);
});

t.test('nodeFieldOf / a status change is the one field it sets, for a model that assigns it in place', async (t) => {
  t.same(nodeFieldOf({ op: 'setAdminState', id: 'n1', adminState: 'cordoned' }), { adminState: 'cordoned' });
  t.same(nodeFieldOf({ op: 'setHealth', id: 'n1', health: 'offline' }), { health: 'offline' });
  t.same(nodeFieldOf({ op: 'setMaxLoad', id: 'n1', maxLoad: null }), { maxLoad: null });
  const tags = ['eu'];
  const field = nodeFieldOf({ op: 'setTags', id: 'n1', tags });
  t.same(field, { tags: ['eu'] });
  t.not(field.tags, tags);
});
