import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import type { NodeCommand } from './commands.js';
import { decide } from './decide.js';
import { NODE_EVENT_TYPES, type NodeEvent } from './events.js';
import { evolve, initialState, type NodeState } from './state.js';

const nodeEvents = aggregateEvents<NodeEvent>('node', NODE_EVENT_TYPES);

export const isNodeEvent = nodeEvents.is;

export const nodeDecider: Decider<NodeCommand, NodeEvent, NodeState> = {
  decide,
  evolve,
  initialState,
  decode: nodeEvents.decode,
};
