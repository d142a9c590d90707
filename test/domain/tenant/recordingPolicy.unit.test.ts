import t from 'tap';
import { NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { expiresAt } from '../../../src/domain/tenant/recordingPolicy.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });
const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const set = (policy: unknown): TenantCommand => ({ type: 'SetTenantRecordingPolicy', data: { tenant: 'acme', policy } });
const changed = (retentionDays: number | null, isProtected: boolean): TenantEvent => ({ type: 'TenantRecordingPolicyChanged', data: { tenant: 'acme', retentionDays, protected: isProtected } });

t.test('when a registered tenant gets a retention / the whole policy is recorded, protection unchanged', async () => {
  spec.given([registered]).when(set({ retentionDays: 30 })).then([changed(30, false)]);
  spec.given([registered, changed(30, false)]).when(set({ protected: true })).then([changed(30, true)]);
});

t.test('when retention is lifted with null / recordings are kept for good again', async () => {
  spec.given([registered, changed(30, true)]).when(set({ retentionDays: null })).then([changed(null, true)]);
});

t.test('when the same policy is sent again / nothing happens', async () => {
  spec.given([registered, changed(30, true)]).when(set({ retentionDays: 30, protected: true })).thenNothingHappens();
  spec.given([registered]).when(set({ retentionDays: null, protected: false })).thenNothingHappens();
});

t.test('when a field is bad / refused naming it', async () => {
  for (const days of [0, -1, 1.5, '30', 36_501, true]) spec.given([registered]).when(set({ retentionDays: days })).thenThrows(ValidationError, /retentionDays/);
  spec.given([registered]).when(set({ protected: 'yes' })).thenThrows(ValidationError, /protected/);
  spec.given([registered]).when(set({ retention: 3 })).thenThrows(ValidationError, /unknown field.*retention/);
  spec.given([registered]).when(set({})).thenThrows(ValidationError, /retentionDays, protected or both/);
  spec.given([registered]).when(set([30])).thenThrows(ValidationError, /JSON object/);
});

t.test('when the tenant is unknown / not found', async () => {
  spec.given([]).when(set({ retentionDays: 3 })).thenThrows(NotFoundError, /not registered/);
});

t.test('TenantRecordingPolicyChanged / evolves into the tenant state', async (t) => {
  const state = [registered, changed(7, true)].reduce(evolve, initialState());
  t.same(state.status === 'registered' && state.recordings, { retentionDays: 7, protected: true });
});

t.test('expiresAt / retention days after the start; null never', async (t) => {
  t.equal(expiresAt(1000, 2), 1000 + 2 * 86_400_000);
  t.equal(expiresAt(1000, null), null);
});
