import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import type { TenantCommand } from './commands.js';
import { decide } from './decide.js';
import { TENANT_EVENT_TYPES, type TenantEvent } from './events.js';
import { evolve, initialState, type TenantState } from './state.js';

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  decide,
  evolve,
  initialState,
  decode: aggregateEvents<TenantEvent>('tenant', TENANT_EVENT_TYPES).decode,
};
