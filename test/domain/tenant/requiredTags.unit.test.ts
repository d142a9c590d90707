import t from 'tap';
import { NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });
const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const require = (tags: string[], tenant = 'acme'): TenantCommand => ({ type: 'RequireTenantTags', data: { tenant, tags } });
const required = (tags: string[]): TenantEvent => ({ type: 'TenantTagsRequired', data: { tenant: 'acme', tags } });

t.test('RequireTenantTags / when the tenant is registered / records the set, sorted and de-duplicated', async () => {
  spec.given([registered]).when(require(['large', 'eu', 'eu'])).then([required(['eu', 'large'])]);
});

t.test('RequireTenantTags / when the same set is required again / does nothing (idempotent)', async () => {
  spec.given([registered, required(['eu', 'large'])]).when(require(['large', 'eu'])).thenNothingHappens();
});

t.test('RequireTenantTags / with an empty set / lets the tenant use every node again', async () => {
  spec.given([registered, required(['eu'])]).when(require([])).then([required([])]);
  spec.given([registered]).when(require([])).thenNothingHappens();
});

t.test('RequireTenantTags / when the tenant is unknown or a tag is malformed / refuses', async () => {
  spec.given([]).when(require(['eu'])).thenThrows(NotFoundError);
  spec.given([registered]).when(require(['no spaces'])).thenThrows(ValidationError);
});

t.test('TenantTagsRequired / evolves into the tenant\'s required tags', async () => {
  spec.given([registered, required(['eu'])]).thenState({ status: 'registered', tenant: 'acme', secrets: [], revoked: [], requiredTags: ['eu'], limits: {}, parameters: {}, hooks: { hooks: [], lastHookID: 0 }, recordings: { retentionDays: null, protected: false }, assets: {} });
});
