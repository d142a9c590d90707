import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../src/commands/decider/handleCommand.js';

export interface ContextOptions extends Partial<CommandContext> {
  /** One id for the command and its correlation and causation: a command that starts its own conversation. */
  id?: string;
}

/**
 * The context a test passes to a command handler: actor `admin:test`, the current time and a fresh command id
 * unless given; the causation id follows the correlation id.
 */
export function commandContext(options: ContextOptions = {}): CommandContext {
  const { id, ...given } = options;
  const correlationId = given.correlationId ?? id ?? 'c';
  return {
    actor: 'admin:test',
    correlationId,
    causationId: given.causationId ?? correlationId,
    now: new Date(),
    commandId: id ?? randomUUID(),
    ...given,
  };
}
