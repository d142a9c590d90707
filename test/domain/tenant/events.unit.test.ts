import t from 'tap';
import { decodeEvent, schemaVersionOf, type StoredEvent } from '../../../src/domain/eventCatalogue.js';
import { secretIdOf } from '../../../src/domain/tenant/validation.js';
import { storedEvent } from '../../support/events.js';

const stored = (type: string, data: unknown): StoredEvent => storedEvent(type, data, { streamId: 'tenant-acme', revision: 1n, schemaVersion: 1 });

t.test('tenant events / decode from the catalogue at schema version 1', async (t) => {
  const added = { tenant: 'acme', secretId: secretIdOf('alpha-secret-0001'), secret: 'alpha-secret-0001', subId: 7 };
  t.same(decodeEvent(stored('TenantRegistered', { tenant: 'acme' })), { type: 'TenantRegistered', data: { tenant: 'acme' } });
  t.same(decodeEvent(stored('TenantSecretAdded', { ...added, extra: 1 })), { type: 'TenantSecretAdded', data: added });
  t.same(decodeEvent(stored('TenantSecretRevoked', { tenant: 'acme', secretId: 'abc' })), { type: 'TenantSecretRevoked', data: { tenant: 'acme', secretId: 'abc' } });
  for (const type of ['TenantRegistered', 'TenantSecretAdded', 'TenantSecretRevoked'] as const) t.equal(schemaVersionOf(type), 1);
});

t.test('tenant events of the wrong shape / name the field', async (t) => {
  t.throws(() => decodeEvent(stored('TenantRegistered', {})), /data\.tenant must be a string/);
  t.throws(() => decodeEvent(stored('TenantSecretAdded', { tenant: 'acme', secretId: 'x', secret: 'y', subId: '7' })), /data\.subId must be a number/);
  t.throws(() => decodeEvent(stored('TenantSecretRevoked', { tenant: 'acme' })), /data\.secretId must be a string/);
});
