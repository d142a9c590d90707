import type { TenantCommand } from '../../domain/tenant/commands.js';
import { tenantDecider } from '../../domain/tenant/decider.js';
import type { TenantEvent } from '../../domain/tenant/events.js';
import type { TenantState } from '../../domain/tenant/state.js';
import { tenantStreamId } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, loadAggregate, type CommandContext, type CommandResult } from './handleCommand.js';
import { streamStatesOf } from './streamStates.js';

/** Tenant streams this process keeps folded. */
const REMEMBERED_TENANTS = 2_000;
const tenantStates = (store: EventStore) => streamStatesOf(store, tenantDecider, REMEMBERED_TENANTS);

export function handleTenantCommand(
  store: EventStore,
  command: TenantCommand,
  context: CommandContext,
): Promise<CommandResult<TenantEvent, TenantState>> {
  return handleCommand(store, tenantDecider, tenantStreamId(command.data.tenant), command, context, undefined, tenantStates(store));
}

/** The tenant as its stream tells it: for answers that may not come from a read model (hooks/list). */
export async function loadTenant(store: EventStore, tenant: string): Promise<TenantState> {
  return (await loadAggregate(store, tenantDecider, tenantStreamId(tenant), tenantStates(store))).state;
}
