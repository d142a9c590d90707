import type { NodeCommand } from '../../domain/node/commands.js';
import { nodeDecider } from '../../domain/node/decider.js';
import type { NodeEvent } from '../../domain/node/events.js';
import type { NodeState } from '../../domain/node/state.js';
import { nodeStreamId } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult } from './handleCommand.js';
import { streamStatesOf } from './streamStates.js';

/** Node streams this process keeps folded (a fleet of 1,000 nodes fits). */
const REMEMBERED_NODES = 2_000;

export function handleNodeCommand(
  store: EventStore,
  command: NodeCommand,
  context: CommandContext,
): Promise<CommandResult<NodeEvent, NodeState>> {
  return handleCommand(store, nodeDecider, nodeStreamId(command.data.nodeId), command, context, undefined, streamStatesOf(store, nodeDecider, REMEMBERED_NODES));
}
