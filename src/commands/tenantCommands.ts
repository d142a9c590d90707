import type { TenantCommand } from '../domain/tenant/commands.js';
import { decide } from '../domain/tenant/decide.js';
import { TENANT_EVENT_TYPES, type TenantEvent } from '../domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../domain/tenant/state.js';
import { aggregateEvents } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import { handleCommand, loadAggregate, type CommandContext, type CommandResult, type Decider } from './handleCommand.js';
import { tenantStreamId } from './streams.js';

const tenantEvents = aggregateEvents<TenantEvent>('tenant', TENANT_EVENT_TYPES);

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  decide,
  evolve,
  initialState,
  decode: tenantEvents.decode,
};

export function handleTenantCommand(
  store: EventStore,
  command: TenantCommand,
  context: CommandContext,
): Promise<CommandResult<TenantEvent, TenantState>> {
  return handleCommand(store, tenantDecider, tenantStreamId(command.data.tenant), command, context);
}

/** The tenant as its stream tells it: for answers that may not come from a read model (hooks/list). */
export async function loadTenant(store: EventStore, tenant: string): Promise<TenantState> {
  return (await loadAggregate(store, tenantDecider, tenantStreamId(tenant))).state;
}
