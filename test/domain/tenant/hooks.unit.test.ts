import t from 'tap';
import { IllegalStateError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { hooksVisibleTo, type Hook } from '../../../src/domain/tenant/hooks.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });

const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const create = (callbackURL: string, more: Partial<{ scope: string; meetingID: string | null; eventIDs: string[] | null; maxHooks: number }> = {}): TenantCommand => ({
  type: 'CreateHook',
  data: { tenant: 'acme', scope: more.scope ?? 'acme', callbackURL, meetingID: more.meetingID ?? null, eventIDs: more.eventIDs ?? null, maxHooks: more.maxHooks ?? 100 },
});
const hook = (hookID: number, callbackURL: string, more: Partial<Hook> = {}): Hook => ({ hookID, scope: 'acme', callbackURL, meetingID: null, eventIDs: null, ...more });
const created = (h: Hook): TenantEvent => ({ type: 'HookCreated', data: { tenant: 'acme', ...h } });
const destroy = (hookID: number, scope = 'acme'): TenantCommand => ({ type: 'DestroyHook', data: { tenant: 'acme', scope, hookID } });

t.test('CreateHook', async (t) => {
  t.test('given a registered tenant / when a hook is created / should number it 1', async () => {
    spec.given([registered]).when(create('https://a.example/h', { meetingID: 'room', eventIDs: ['meeting-ended', ' ', 'meeting-ended'] }))
      .then([created(hook(1, 'https://a.example/h', { meetingID: 'room', eventIDs: ['meeting-ended'] }))]);
  });
  t.test('given a destroyed hook / when another is created / should never reuse its number', async () => {
    const first = hook(1, 'https://a.example/h');
    spec.given([registered, created(first), { type: 'HookDestroyed', data: { tenant: 'acme', hookID: 1, scope: 'acme' } }])
      .when(create('https://b.example/h'))
      .then([created(hook(2, 'https://b.example/h'))]);
  });
  t.test('given the same callback URL in the scope / should record nothing (duplicate)', async () => {
    spec.given([registered, created(hook(1, 'https://a.example/h'))]).when(create('https://a.example/h', { meetingID: 'other' })).thenNothingHappens();
  });
  t.test('given the same callback URL in another sub / should create it for that sub', async () => {
    spec.given([registered, created(hook(1, 'https://a.example/h'))]).when(create('https://a.example/h', { scope: 'acme-007' }))
      .then([created(hook(2, 'https://a.example/h', { scope: 'acme-007' }))]);
  });
  t.test('given the tenant at HOOKS_PER_TENANT / should refuse the flood', async () => {
    spec.given([registered, created(hook(1, 'https://a.example/1')), created(hook(2, 'https://a.example/2'))])
      .when(create('https://a.example/3', { maxHooks: 2 }))
      .thenThrows(IllegalStateError, /HOOKS_PER_TENANT/);
  });
  t.test('when the callbackURL is missing or not http(s) / should refuse', async () => {
    spec.given([registered]).when(create('  ')).thenThrows(ValidationError, /callbackURL/);
    spec.given([registered]).when(create('not a url')).thenThrows(ValidationError, /absolute URL/);
    spec.given([registered]).when(create('ftp://a.example/')).thenThrows(ValidationError, /http or https/);
  });
  t.test('given an unknown tenant / should refuse', async () => {
    spec.given([]).when(create('https://a.example/h')).thenThrows(NotFoundError);
  });
});

t.test('DestroyHook', async (t) => {
  const own = hook(1, 'https://a.example/h', { scope: 'acme-007' });
  t.test('given the sub\'s hook / when the sub destroys it / should record it', async () => {
    spec.given([registered, created(own)]).when(destroy(1, 'acme-007')).then([{ type: 'HookDestroyed', data: { tenant: 'acme', hookID: 1, scope: 'acme-007' } }]);
  });
  t.test('given a sub\'s hook / when the main secret destroys it / should record it', async () => {
    spec.given([registered, created(own)]).when(destroy(1)).then([{ type: 'HookDestroyed', data: { tenant: 'acme', hookID: 1, scope: 'acme-007' } }]);
  });
  t.test('given another sub\'s hook / should not find it', async () => {
    spec.given([registered, created(own)]).when(destroy(1, 'acme-008')).thenThrows(NotFoundError);
  });
  t.test('given no such hook / should not find it', async () => {
    spec.given([registered]).when(destroy(9)).thenThrows(NotFoundError, /not found/);
  });
});

t.test('hooksVisibleTo / the main scope sees all, a sub only its own', async (t) => {
  const hooks = [hook(1, 'u1'), hook(2, 'u2', { scope: 'acme-007' })];
  t.same(hooksVisibleTo(hooks, 'acme', 'acme').map((h) => h.hookID), [1, 2]);
  t.same(hooksVisibleTo(hooks, 'acme', 'acme-007').map((h) => h.hookID), [2]);
});
