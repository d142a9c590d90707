import type { TenantCommand } from '../domain/tenant/commands.js';
import { decide } from '../domain/tenant/decide.js';
import type { TenantEvent } from '../domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../domain/tenant/state.js';
import { decodeEvent, EventDecodeError, type DomainEvent } from '../domain/eventCatalogue.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult, type Decider } from './handleCommand.js';
import { tenantStreamId } from './streams.js';

const TENANT_EVENT_TYPES: ReadonlySet<string> = new Set<TenantEvent['type']>([
  'TenantRegistered',
  'TenantSecretAdded',
  'TenantSecretRevoked',
]);

const isTenantEvent = (event: DomainEvent): event is TenantEvent => TENANT_EVENT_TYPES.has(event.type);

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  decide,
  evolve,
  initialState,
  decode(recorded: RecordedEvent): TenantEvent {
    const event = decodeEvent(recorded);
    if (!isTenantEvent(event)) throw new EventDecodeError(recorded, 'not a tenant event');
    return event;
  },
};

export function handleTenantCommand(
  store: EventStore,
  command: TenantCommand,
  context: CommandContext,
): Promise<CommandResult<TenantEvent, TenantState>> {
  return handleCommand(store, tenantDecider, tenantStreamId(command.data.tenant), command, context);
}
