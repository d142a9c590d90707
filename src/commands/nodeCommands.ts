import type { NodeCommand } from '../domain/node/commands.js';
import { decide } from '../domain/node/decide.js';
import type { NodeEvent } from '../domain/node/events.js';
import { evolve, initialState, type NodeState } from '../domain/node/state.js';
import { decodeEvent, EventDecodeError, type DomainEvent } from '../domain/eventCatalogue.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult, type Decider } from './handleCommand.js';
import { nodeStreamId } from './streams.js';

const NODE_EVENT_TYPES: ReadonlySet<string> = new Set<NodeEvent['type']>([
  'NodeRegistered',
  'NodeEnabled',
  'NodeCordoned',
  'NodeDisabled',
  'NodeDecommissioned',
  'NodeHealthChanged',
]);

export const isNodeEvent = (event: DomainEvent): event is NodeEvent => NODE_EVENT_TYPES.has(event.type);

export const nodeDecider: Decider<NodeCommand, NodeEvent, NodeState> = {
  decide,
  evolve,
  initialState,
  decode(recorded: RecordedEvent): NodeEvent {
    const event = decodeEvent(recorded);
    if (!isNodeEvent(event)) throw new EventDecodeError(recorded, 'not a node event');
    return event;
  },
};

export function handleNodeCommand(
  store: EventStore,
  command: NodeCommand,
  context: CommandContext,
): Promise<CommandResult<NodeEvent, NodeState>> {
  return handleCommand(store, nodeDecider, nodeStreamId(command.data.nodeId), command, context);
}
