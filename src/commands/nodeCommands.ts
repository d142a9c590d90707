import type { NodeCommand } from '../domain/node/commands.js';
import { decide } from '../domain/node/decide.js';
import { NODE_EVENT_TYPES, type NodeEvent } from '../domain/node/events.js';
import { evolve, initialState, type NodeState } from '../domain/node/state.js';
import { aggregateEvents } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult, type Decider } from './handleCommand.js';
import { nodeStreamId } from './streams.js';

const nodeEvents = aggregateEvents<NodeEvent>('node', NODE_EVENT_TYPES);

export const isNodeEvent = nodeEvents.is;

export const nodeDecider: Decider<NodeCommand, NodeEvent, NodeState> = {
  decide,
  evolve,
  initialState,
  decode: nodeEvents.decode,
};

export function handleNodeCommand(
  store: EventStore,
  command: NodeCommand,
  context: CommandContext,
): Promise<CommandResult<NodeEvent, NodeState>> {
  return handleCommand(store, nodeDecider, nodeStreamId(command.data.nodeId), command, context);
}
