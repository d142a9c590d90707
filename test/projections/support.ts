import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import type { NodeCommand } from '../../src/domain/node/commands.js';
import type { EventStore, Position } from '../../src/eventstore/port.js';
import { commandContext } from '../support/commandContext.js';

let commands = 0;

/** Runs a node command through the real handler and returns the appended position. */
export async function runNodeCommand(store: EventStore, command: NodeCommand): Promise<Position> {
  commands += 1;
  const result = await handleNodeCommand(
    store,
    command,
    commandContext({ correlationId: `corr-${commands}`, causationId: `cause-${commands}`, now: new Date(Date.UTC(2026, 10, 23, 10, 0, commands)), commandId: `cmd-${process.pid}-${commands}-${Math.random()}` }),
  );
  if (!result.position) throw new Error(`${command.type} appended nothing`);
  return result.position;
}

export const registerNode = (store: EventStore, nodeId: string, tags: string[] = []) =>
  runNodeCommand(store, {
    type: 'RegisterNode',
    data: { nodeId, url: `https://${nodeId}.example.com/bigbluebutton/api/`, secret: 'secret', tags, loadFactor: 1 },
  });
