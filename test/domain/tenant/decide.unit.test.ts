import t from 'tap';
import { IllegalStateError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { secretIdOf } from '../../../src/domain/tenant/validation.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });

const A = 'alpha-secret-0001';
const B = 'bravo-secret-0002';
const C = 'charlie-secret-03';

const register = (secrets: string[] = [A], tenant = 'acme'): TenantCommand => ({ type: 'RegisterTenant', data: { tenant, secrets } });
const add = (secret: string, subId = 0, tenant = 'acme'): TenantCommand => ({ type: 'AddTenantSecret', data: { tenant, secret, subId } });
const revoke = (secretId: string, tenant = 'acme'): TenantCommand => ({ type: 'RevokeTenantSecret', data: { tenant, secretId } });

const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const added = (secret: string, subId = 0): TenantEvent => ({
  type: 'TenantSecretAdded',
  data: { tenant: 'acme', secretId: secretIdOf(secret), secret, subId },
});
const revoked = (secret: string): TenantEvent => ({ type: 'TenantSecretRevoked', data: { tenant: 'acme', secretId: secretIdOf(secret) } });

t.test('secretIdOf / is the first 12 hex digits of the secret\'s SHA-256, stable across calls', async (t) => {
  t.match(secretIdOf(A), /^[0-9a-f]{12}$/);
  t.equal(secretIdOf(A), secretIdOf(A));
  t.not(secretIdOf(A), secretIdOf(B));
});

t.test('RegisterTenant', async (t) => {
  t.test('when the tenant is unknown / should register it with its secrets for the main hostname', async () => {
    spec.given([]).when(register([A, B])).then([registered, added(A), added(B)]);
  });
  t.test('when the same registration is repeated / should do nothing (idempotent)', async () => {
    spec.given([registered, added(A), added(B)]).when(register([B, A])).thenNothingHappens();
  });
  t.test('when registered again with other secrets / should refuse', async () => {
    spec.given([registered, added(A)]).when(register([B])).thenThrows(IllegalStateError, /already registered with different secrets/);
    spec.given([registered, added(A)]).when(register([A, B])).thenThrows(IllegalStateError);
  });
  t.test('when the registered secret was rotated since / a repeat of the first registration should refuse', async () => {
    spec.given([registered, added(A), added(B), revoked(A)]).when(register([A])).thenThrows(IllegalStateError);
  });
  t.test('when the tenant has sub-secrets / a registration naming only the main secrets should refuse', async () => {
    spec.given([registered, added(A), added(B, 7)]).when(register([A])).thenThrows(IllegalStateError);
  });
  t.test('when no secret is given / should refuse', async () => {
    spec.given([]).when(register([])).thenThrows(ValidationError, /at least one secret/);
  });
  t.test('when a secret is listed twice / should refuse', async () => {
    spec.given([]).when(register([A, A])).thenThrows(ValidationError, /listed twice/);
  });

  const badNames: [string, string][] = [
    ['empty', ''],
    ['one character', 'a'],
    ['upper case', 'Acme'],
    ['starting with a digit', '1acme'],
    ['ending in a hyphen', 'acme-'],
    ['with a dot', 'ac.me'],
    ['with an underscore', 'ac_me'],
    ['64 characters', `a${'b'.repeat(63)}`],
    ['ending in -NNN (a sub-secret suffix)', 'acme-007'],
  ];
  for (const [what, name] of badNames) {
    t.test(`when the name is ${what} / should refuse`, async () => {
      spec.given([]).when(register([A], name)).thenThrows(ValidationError, /tenant name/);
    });
  }
  for (const [what, name] of [['two characters', 'ab'], ['63 characters', `a${'b'.repeat(62)}`], ['ending in -NN', 'acme-07'], ['with a digit suffix', 'acme007']]) {
    t.test(`when the name is ${what} / should accept it`, async () => {
      spec.given([]).when(register([A], name!)).then([
        { type: 'TenantRegistered', data: { tenant: name! } },
        { type: 'TenantSecretAdded', data: { tenant: name!, secretId: secretIdOf(A), secret: A, subId: 0 } },
      ]);
    });
  }

  const badSecrets: [string, string][] = [
    ['7 characters', 'abcdefg'],
    ['with a space', 'abcd efgh'],
    ['with a tab', 'abcd\tefgh'],
    ['with non-ASCII', 'abcdefgé'],
    ['257 characters', 'x'.repeat(257)],
  ];
  for (const [what, secret] of badSecrets) {
    t.test(`when a secret has ${what} / should refuse without echoing it`, async (t) => {
      spec.given([]).when(register([secret])).thenThrows(ValidationError, /8–256 printable ASCII/);
      try {
        decide(register([secret]), initialState(), { now: new Date() });
      } catch (error) {
        t.notMatch((error as Error).message, secret);
      }
    });
  }
});

t.test('AddTenantSecret', async (t) => {
  t.test('when the tenant is registered / should add the secret (rotation, step 1)', async () => {
    spec.given([registered, added(A)]).when(add(B)).then([added(B)]);
  });
  t.test('when a sub-id is given / should add the secret for that sub-hostname', async () => {
    spec.given([registered, added(A)]).when(add(B, 7)).then([added(B, 7)]);
    spec.given([registered, added(A)]).when(add(B, 999)).then([added(B, 999)]);
  });
  t.test('when the same secret is added again for the same sub / should do nothing', async () => {
    spec.given([registered, added(A), added(B, 7)]).when(add(B, 7)).thenNothingHappens();
  });
  t.test('when the secret already signs for another sub / should refuse', async () => {
    spec.given([registered, added(A)]).when(add(A, 7)).thenThrows(IllegalStateError, /already signs for sub 0/);
  });
  t.test('when the secret was revoked before / should refuse to bring it back', async () => {
    spec.given([registered, added(A), added(B), revoked(A)]).when(add(A)).thenThrows(IllegalStateError, /revoked/);
  });
  t.test('when the tenant is unknown / should answer not found', async () => {
    spec.given([]).when(add(B)).thenThrows(NotFoundError, /not registered/);
  });
  for (const subId of [-1, 1000, 1.5, Number.NaN]) {
    t.test(`when the sub-id is ${subId} / should refuse`, async () => {
      spec.given([registered, added(A)]).when(add(B, subId)).thenThrows(ValidationError, /subId/);
    });
  }
  t.test('when the secret is too short / should refuse', async () => {
    spec.given([registered, added(A)]).when(add('short')).thenThrows(ValidationError, /secret/);
  });
});

t.test('RevokeTenantSecret', async (t) => {
  t.test('when another main secret remains / should revoke (rotation, step 2)', async () => {
    spec.given([registered, added(A), added(B)]).when(revoke(secretIdOf(A))).then([revoked(A)]);
  });
  t.test('when it is the last main secret / should refuse, saying the tenant would lock itself out', async () => {
    spec.given([registered, added(A), added(B, 7)]).when(revoke(secretIdOf(A))).thenThrows(IllegalStateError, /lock the tenant out/);
  });
  t.test('when it is the last secret of a sub-hostname / should revoke it (only that hostname stops)', async () => {
    spec.given([registered, added(A), added(B, 7)]).when(revoke(secretIdOf(B))).then([revoked(B)]);
  });
  t.test('when already revoked / should do nothing (idempotent)', async () => {
    spec.given([registered, added(A), added(B), revoked(A)]).when(revoke(secretIdOf(A))).thenNothingHappens();
  });
  t.test('when the secret id is unknown / should answer not found', async () => {
    spec.given([registered, added(A)]).when(revoke(secretIdOf(C))).thenThrows(NotFoundError, /no secret/);
  });
  t.test('when the tenant is unknown / should answer not found', async () => {
    spec.given([]).when(revoke(secretIdOf(A))).thenThrows(NotFoundError, /not registered/);
  });
});

t.test('evolve', async (t) => {
  t.test('after a rotation / holds the new secret and remembers the revoked one', async () => {
    spec.given([registered, added(A), added(B), revoked(A)]).thenState({
      status: 'registered',
      tenant: 'acme',
      secrets: [{ secretId: secretIdOf(B), secret: B, subId: 0 }],
      revoked: [secretIdOf(A)],
      requiredTags: [],
      limits: {},
      parameters: {}, hooks: { hooks: [], lastHookID: 0 }, recordings: { retentionDays: null, protected: false }, assets: {},
    });
  });
  t.test('secret events before a registration / are ignored so replay stays total', async () => {
    spec.given([added(A), revoked(A)]).thenState({ status: 'unregistered' });
  });
});
