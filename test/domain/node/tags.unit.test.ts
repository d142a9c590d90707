import t from 'tap';
import { IllegalStateError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { NodeCommand } from '../../../src/domain/node/commands.js';
import { decide } from '../../../src/domain/node/decide.js';
import type { NodeEvent } from '../../../src/domain/node/events.js';
import { evolve, initialState, type NodeState } from '../../../src/domain/node/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<NodeCommand, NodeEvent, NodeState>({ decide, evolve, initialState });
const registered: NodeEvent = {
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://bbb1.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: ['eu'], loadFactor: 1 },
};
const retag = (tags: string[], nodeId = 'n1'): NodeCommand => ({ type: 'ChangeNodeTags', data: { nodeId, tags } });
const changed = (tags: string[]): NodeEvent => ({ type: 'NodeTagsChanged', data: { nodeId: 'n1', tags } });

t.test('ChangeNodeTags / when the set differs / records the new set, sorted and de-duplicated', async () => {
  spec.given([registered]).when(retag(['large', 'eu', 'large'])).then([changed(['eu', 'large'])]);
  spec.given([registered]).when(retag([])).then([changed([])]);
});

t.test('ChangeNodeTags / when the set is the same / does nothing (idempotent)', async () => {
  spec.given([registered]).when(retag(['eu'])).thenNothingHappens();
  spec.given([registered, changed(['gpu'])]).when(retag(['gpu'])).thenNothingHappens();
});

t.test('ChangeNodeTags / refuses an unknown node, a removed node, a malformed tag', async () => {
  spec.given([]).when(retag(['eu'])).thenThrows(NotFoundError);
  spec.given([registered, { type: 'NodeDecommissioned', data: { nodeId: 'n1' } }, { type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } }]).when(retag(['x'])).thenThrows(IllegalStateError);
  spec.given([registered]).when(retag(['a b'])).thenThrows(ValidationError);
});

t.test('NodeTagsChanged / replaces the tags in the state', async (t) => {
  const state = [registered, changed(['gpu', 'large'])].reduce(evolve, initialState());
  t.same(state.status === 'registered' && state.tags, ['gpu', 'large']);
});
