import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { silentLogger } from '../../src/logging.js';
import { postgresLeases, redisLeases, type Lease, type LeaseProvider } from '../../src/sagas/lease.js';
import { runLeasedSaga } from '../../src/sagas/leasedSaga.js';
import { DATABASE_URL } from '../eventstore/postgresTestDb.js';
import { eventually } from '../support/eventually.js';
import { sleep } from './fleetSupport.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 600;

async function redisPair(t: Test): Promise<[LeaseProvider, LeaseProvider, Redis]> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  t.teardown(() => redis.quit());
  const prefix = `lease-test-${randomUUID()}:`;
  return [redisLeases(redis, prefix, 'instance-a', TTL), redisLeases(redis, prefix, 'instance-b', TTL), redis];
}

function postgresPair(t: Test): [LeaseProvider, LeaseProvider] {
  const pair: [LeaseProvider, LeaseProvider] = [postgresLeases(DATABASE_URL, TTL), postgresLeases(DATABASE_URL, TTL)];
  t.teardown(() => Promise.all(pair.map((p) => p.close())));
  return pair;
}

for (const kind of ['redis', 'postgres'] as const) {
  t.test(`${kind}: one lease name / one holder at a time; released, the other takes it at once`, async (t) => {
    const [a, b] = kind === 'redis' ? await redisPair(t) : postgresPair(t);
    const name = `saga-${randomUUID()}`;
    const [la, lb] = [a.lease(name), b.lease(name)];
    t.equal(await la.acquire(), true);
    t.equal(await lb.acquire(), false, 'held by a');
    t.equal(await la.renew(), true);
    t.equal(await lb.renew(), false, 'b cannot renew what it does not hold');
    t.equal(await b.lease(`other-${name}`).acquire(), true, 'another name is another lease');
    await la.release();
    t.equal(await lb.acquire(), true, 'taken over after the release');
    t.equal(await la.renew(), false, 'a knows it is not the holder any more');
  });
}

t.test('redis: a holder that stops renewing / loses the lease after the ttl, and its late renewal fails', async (t) => {
  const [a, b] = await redisPair(t);
  const name = `saga-${randomUUID()}`;
  const [la, lb] = [a.lease(name), b.lease(name)];
  t.equal(await la.acquire(), true);
  await eventually('b to take the expired lease', () => lb.acquire(), 5000);
  t.equal(await la.renew(), false, 'fenced: the compare-and-extend refuses a');
});

t.test('postgres: a holder whose connection dies / loses the lease to the other at once', async (t) => {
  const [a, b] = postgresPair(t);
  const name = `saga-${randomUUID()}`;
  t.equal(await a.lease(name).acquire(), true);
  await a.close();
  await eventually('b to take it', () => b.lease(name).acquire(), 5000);
});

/** A lease whose answers the test decides: `hang` makes renewals never answer, like a stuck store. */
function scriptedLease(): Lease & { hang: boolean; holder: boolean } {
  const lease = {
    hang: false,
    holder: false,
    acquire: async () => (lease.holder = true),
    renew: () => (lease.hang ? new Promise<boolean>(() => undefined) : Promise.resolve(lease.holder)),
    release: async () => void (lease.holder = false),
  };
  return lease;
}

t.test('a leased saga / starts once the lease is taken, stops when a renewal fails or hangs past the ttl, releases on stop', async (t) => {
  const lease = scriptedLease();
  const running: string[] = [];
  let fence: () => boolean = () => false;
  const saga = runLeasedSaga({
    name: 'test',
    lease,
    ttlMs: 300,
    renewMs: 50,
    logger: silentLogger,
    start: (stillHolds) => {
      fence = stillHolds;
      running.push('started');
      return { stop: async () => void running.push('stopped') };
    },
  });
  await eventually('the saga started', () => running.length === 1);
  t.equal(fence(), true, 'the holder may act');
  lease.hang = true;
  await eventually('the saga stopped by the watchdog', () => running.length === 2, 3000);
  t.equal(fence(), false, 'fenced while the renewal hangs');
  lease.hang = false;
  lease.holder = false;
  await sleep(120);
  await eventually('restarted once the lease is taken again', () => running.length === 3);
  lease.holder = false;
  await eventually('stopped when a renewal says another holds it', () => running.length === 4);
  await eventually('started again', () => running.length === 5);
  await saga.stop();
  t.same(running, ['started', 'stopped', 'started', 'stopped', 'started', 'stopped']);
  t.equal(lease.holder, false, 'released on stop');
});
