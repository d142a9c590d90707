import t from 'tap';
import { NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });
const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const setLimits = (limits: unknown, subId = 0): TenantCommand => ({ type: 'SetTenantLimits', data: { tenant: 'acme', subId, limits } });
const setRules = (rules: unknown, subId = 0): TenantCommand => ({ type: 'SetTenantParameters', data: { tenant: 'acme', subId, rules } });
const limitsChanged = (subId: number, meetings: number | null, attendees: number | null, mode: 'hard' | 'soft' = 'hard'): TenantEvent => ({
  type: 'TenantLimitsChanged',
  data: { tenant: 'acme', subId, meetings, attendees, mode },
});
const rule = { call: 'create' as const, param: 'duration', mode: 'max' as const, value: '60' };

t.test('SetTenantLimits', async (t) => {
  t.test('when registered / records the limits of the tenant or the sub', async () => {
    spec.given([registered]).when(setLimits({ meetings: 5, attendees: null, mode: 'soft' })).then([limitsChanged(0, 5, null, 'soft')]);
    spec.given([registered]).when(setLimits({ meetings: null, attendees: 40, mode: 'hard' }, 7)).then([limitsChanged(7, null, 40)]);
  });
  t.test('when the same limits are set again / nothing happens', async () => {
    spec.given([registered, limitsChanged(0, 5, null)]).when(setLimits({ meetings: 5, attendees: null, mode: 'hard' })).thenNothingHappens();
  });
  t.test('when a limit is negative, fractional or not a number / refused naming it', async () => {
    spec.given([registered]).when(setLimits({ meetings: -1, attendees: null, mode: 'hard' })).thenThrows(ValidationError, /meetings/);
    spec.given([registered]).when(setLimits({ meetings: null, attendees: 1.5, mode: 'hard' })).thenThrows(ValidationError, /attendees/);
    spec.given([registered]).when(setLimits({ meetings: 'ten', attendees: null, mode: 'hard' })).thenThrows(ValidationError, /meetings/);
    spec.given([registered]).when(setLimits({ meetings: 1, attendees: 1, mode: 'loose' })).thenThrows(ValidationError, /mode/);
  });
  t.test('when the tenant is unknown / not found', async () => {
    spec.given([]).when(setLimits({ meetings: 1, attendees: 1, mode: 'hard' })).thenThrows(NotFoundError, /not registered/);
  });
});

t.test('SetTenantParameters', async (t) => {
  t.test('when registered / records the whole set; the same set again is nothing new', async () => {
    const changed: TenantEvent = { type: 'TenantParametersChanged', data: { tenant: 'acme', subId: 0, rules: [rule] } };
    spec.given([registered]).when(setRules({ rules: [rule] })).then([changed]);
    spec.given([registered, changed]).when(setRules({ rules: [rule] })).thenNothingHappens();
    spec.given([registered, changed]).when(setRules({ rules: [] })).then([{ type: 'TenantParametersChanged', data: { tenant: 'acme', subId: 0, rules: [] } }]);
  });
  t.test('contradictions / refused naming the rule', async () => {
    spec.given([registered]).when(setRules({ rules: [rule, { ...rule, mode: 'set' }] })).thenThrows(ValidationError, /rules\[1\].*contradicts rules\[0\]/);
    spec.given([registered]).when(setRules({ rules: [{ ...rule, value: 'lots' }] })).thenThrows(ValidationError, /rules\[0\].*whole number/);
    spec.given([registered]).when(setRules({ rules: [{ call: 'join', param: 'x', mode: 'block', value: 'y' }] })).thenThrows(ValidationError, /rules\[0\].*no value/);
    spec.given([registered]).when(setRules({ rules: [{ call: 'join', param: 'meetingID', mode: 'set', value: 'y' }] })).thenThrows(ValidationError, /rules\[0\]/);
    spec.given([registered]).when(setRules({ rules: [{ call: 'create', param: 'set', mode: 'append', value: ' , ' }] })).thenThrows(ValidationError, /at least one/);
  });
});

t.test('evolve / keeps limits and rules by sub-id', async () => {
  spec.given([registered, limitsChanged(0, 1, 2), limitsChanged(7, 3, null, 'soft')]).thenState({
    status: 'registered',
    tenant: 'acme',
    secrets: [],
    revoked: [],
    requiredTags: [],
    limits: { 0: { meetings: 1, attendees: 2, mode: 'hard' }, 7: { meetings: 3, attendees: null, mode: 'soft' } },
    parameters: {}, hooks: { hooks: [], lastHookID: 0 }, recordings: { retentionDays: null, protected: false }, assets: {},
  });
});
