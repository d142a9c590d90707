import { IllegalStateError, NotFoundError, ValidationError } from '../errors.js';
import type { SetNodeCapacity } from './commands.js';
import type { NodeCapacityChanged } from './events.js';
import type { NodeState } from './state.js';

/** Largest capacity accepted, in load units: beyond any machine, small enough to stay exact in JSON. */
export const MAX_NODE_LOAD = 1_000_000_000;

/** A load in the load model's units (participant equivalents, docs/decisions.md), or null for no cap. */
export function validMaxLoad(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_NODE_LOAD) {
    throw new ValidationError(`maxLoad must be a number from 0 to ${MAX_NODE_LOAD} in load units, or null for no cap; got ${JSON.stringify(value)}`, 'maxLoad');
  }
  return value;
}

/** A new cap applies to the next placements; meetings already on the node stay. */
export function setNodeCapacity(command: SetNodeCapacity, state: NodeState): NodeCapacityChanged[] {
  const maxLoad = validMaxLoad(command.data.maxLoad);
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.removed) throw new IllegalStateError(`node ${state.nodeId} was removed; its capacity no longer matters`);
  if (state.maxLoad === maxLoad) return [];
  return [{ type: 'NodeCapacityChanged', data: { nodeId: state.nodeId, maxLoad } }];
}
