import { randomUUID } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { handleTenantCommandHoldingSecrets } from '../../../src/commands/decider/secretReservationCommands.js';
import { loadTenant } from '../../../src/commands/decider/tenantCommands.js';
import { NotFoundError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { RESERVATION_GRACE_MS, SecretHeldError, secretHashOf, secretStreamId } from '../../../src/domain/tenant/secretReservation.js';
import { PostgresEventStore } from '../../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../../src/eventstore/port.js';
import { silentLogger } from '../../../src/logging.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../../eventstore/postgresTestDb.js';
import { commandContext } from '../../support/commandContext.js';
import { newEvent } from '../../support/events.js';

// Two instances: two stores (two pools) on one PostgreSQL schema.
const schema = uniqueSchema('secrets');
const one = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
const two = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
t.teardown(async () => {
  await one.close();
  await two.close();
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await dropSchema(admin, schema);
  await admin.end();
});

const run = (store: EventStore, command: TenantCommand, now = new Date()) => handleTenantCommandHoldingSecrets(store, command, commandContext({ id: randomUUID(), now }));
const add = (store: EventStore, tenant: string, secret: string) => run(store, { type: 'AddTenantSecret', data: { tenant, secret, subId: 0 } });
const holds = async (tenant: string, secret: string) => {
  const state = await loadTenant(one, tenant);
  return state.status === 'registered' && state.secrets.some((s) => s.secret === secret);
};

for (const tenant of ['acme', 'globex', 'initech']) await run(one, { type: 'RegisterTenant', data: { tenant, secrets: [`${tenant}-own-secret-0001`] } });

t.test('when two instances add one secret to two tenants at the same moment / exactly one wins, the other gets SecretHeldError', async (t) => {
  for (let i = 0; i < 10; i++) {
    const secret = `contested-secret-${i}-${randomUUID()}`;
    const outcomes = await Promise.allSettled([add(one, 'acme', secret), add(two, 'globex', secret)]);
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, `round ${i}: one add stored`);
    const refused = outcomes.find((o) => o.status === 'rejected');
    t.ok(refused?.status === 'rejected' && refused.reason instanceof SecretHeldError, `round ${i}: the other is refused`);
    t.equal(Number(await holds('acme', secret)) + Number(await holds('globex', secret)), 1, `round ${i}: one tenant holds it`);
  }
});

t.test('when a tenant revokes a secret / another tenant may take it, and the first may not take it back', async (t) => {
  const secret = `moving-secret-${randomUUID()}`;
  await add(one, 'acme', secret);
  await t.rejects(add(two, 'globex', secret), SecretHeldError);
  const acme = await loadTenant(one, 'acme');
  const secretId = acme.status === 'registered' ? acme.secrets.find((s) => s.secret === secret)!.secretId : '';
  await run(one, { type: 'RevokeTenantSecret', data: { tenant: 'acme', secretId } });
  await add(two, 'globex', secret);
  t.ok(await holds('globex', secret));
  await t.rejects(add(one, 'acme', secret), SecretHeldError, 'globex holds it now');
  await t.rejects(add(one, 'initech', secret), SecretHeldError);
});

t.test('when the tenant command fails after the reservation / the reservation is released', async (t) => {
  const secret = `refused-secret-${randomUUID()}`;
  await t.rejects(add(one, 'nobody', secret), NotFoundError);
  await add(two, 'globex', secret);
  t.ok(await holds('globex', secret));
});

/** acme's reservation, as an instance that died before appending acme's TenantSecretAdded left it. */
const reservation = (secret: string, reservedAt: string) => newEvent('SecretReserved', { secretHash: secretHashOf(secret), tenant: 'acme', reservedAt }, { at: reservedAt });

t.test('when an instance died between the reservation and the tenant event / another tenant takes it over once the grace passed', async (t) => {
  const secret = `orphaned-secret-${randomUUID()}`;
  const reservedAt = new Date(Date.now() - RESERVATION_GRACE_MS - 1000).toISOString();
  await one.append(secretStreamId(secret), [reservation(secret, reservedAt)], { expectedRevision: 'no_stream' });
  await add(two, 'globex', secret);
  t.ok(await holds('globex', secret), 'taken over: acme never got it');

  const fresh = `in-flight-secret-${randomUUID()}`;
  await one.append(secretStreamId(fresh), [reservation(fresh, new Date().toISOString())], { expectedRevision: 'no_stream' });
  await t.rejects(add(two, 'globex', fresh), SecretHeldError, 'within the grace, acme\'s add may still be in flight');
});

t.test('when the holder still holds the secret / no grace lets another tenant take it', async (t) => {
  const secret = `kept-secret-${randomUUID()}`;
  await add(one, 'acme', secret);
  await t.rejects(run(two, { type: 'AddTenantSecret', data: { tenant: 'globex', secret, subId: 0 } }, new Date(Date.now() + 10 * RESERVATION_GRACE_MS)), SecretHeldError);
});

t.test('when a tenant registers with a secret another holds / it is refused and registers nothing', async (t) => {
  await t.rejects(run(two, { type: 'RegisterTenant', data: { tenant: 'umbrella', secrets: ['acme-own-secret-0001'] } }), SecretHeldError);
  t.equal((await loadTenant(one, 'umbrella')).status, 'unregistered');
});

t.test('when the tenant event\'s append times out after it was stored / the reservation stays, so no other tenant gets the secret', async (t) => {
  const secret = `ambiguous-secret-${randomUUID()}`;
  const timingOut = Object.assign(Object.create(one) as EventStore, {
    async append(...args: Parameters<EventStore['append']>) {
      const stored = await one.append(...args);
      if (args[0].startsWith('tenant-')) throw new Error('the event store did not answer within 5000 ms');
      return stored;
    },
  });
  await t.rejects(add(timingOut, 'acme', secret), /did not answer/);
  t.ok(await holds('acme', secret), 'acme got it after all');
  await t.rejects(add(two, 'globex', secret), SecretHeldError, 'its reservation stayed');
});
