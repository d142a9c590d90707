import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import t from 'tap';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { DATABASE_URL } from './eventstore/postgresTestDb.js';
import { startAdminProduct } from './support/adminProduct.js';
import { eventually } from './support/eventually.js';
import { call } from './support/httpHarness.js';
import { tenantWithNodes } from './support/tenantWithNodes.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TENANT_SECRET = 'acme-secret-for-the-self-healing-test';
/** A second tenant: one secret belongs to one tenant (409 otherwise). */
const GLOBEX_SECRET = 'globex-secret-for-the-self-healing-test';
const redis = new Redis(REDIS_URL);
const prefix = `test:${randomUUID()}:`;
const deletePrefix = async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  return keys.length;
};

// The production shape: events in a fresh PostgreSQL database, read models shared in Redis under our own prefix.
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const database = `bbb_heal_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
await admin.query(`CREATE DATABASE ${database}`);
const eventStoreUrl = new URL(DATABASE_URL);
eventStoreUrl.pathname = `/${database}`;
/** The production shape: this file's database, Redis under `redisPrefix` (given as settings, deleted below), checks every 100 ms. */
const settings = (redisPrefix: string) => ({ EVENTSTORE: eventStoreUrl.href, REDIS_URL, REDIS_PREFIX: redisPrefix, READ_MODEL_CHECK_MS: '100', POLL_INTERVAL_MS: '200', POLL_TIMEOUT_MS: '1000' });
t.teardown(async () => {
  for (const p of [prefix, `${prefix.replace(/:$/, '')}~`]) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

t.test('when the Redis prefix is deleted under load / every acknowledged meeting stays listed and joinable, the nodes stay listed, and the shared copy heals', async (t) => {
  const nodes = await Promise.all([1, 2].map((i) => new BbbNodeSimulator({ secret: `node-${i}-secret` }).start()));
  t.teardown(() => Promise.all(nodes.map((n) => n.stop())));
  const { base } = await startAdminProduct(t, 'in-process', settings(prefix));
  const { token, bbb } = await tenantWithNodes(t, base, 'acme', TENANT_SECRET, nodes);
  await eventually('both nodes available', async () => {
    const list = (await call(base, '/admin/api/v1/nodes', { token })).body as { nodes: Array<{ health: string }> };
    return list.nodes.length === 2 && list.nodes.every((n) => n.health === 'available');
  }, 10_000);

  const listed = async () => [...(await (await bbb('getMeetings', [])).text()).matchAll(/<meetingID>([^<]+)<\/meetingID>/g)].map((m) => m[1]);
  const joins = async (meetingID: string) => (await bbb('join', [['fullName', 'Ada'], ['meetingID', meetingID], ['role', 'VIEWER']])).status;

  // 1. load: creates and joins from 4 clients; a meeting is acknowledged once its create answered SUCCESS
  const acknowledged: string[] = [];
  let loading = true;
  let next = 0;
  const client = async () => {
    while (loading) {
      const meetingID = `room-${next++}`;
      const answer = await (await bbb('create', [['name', meetingID], ['meetingID', meetingID]])).text();
      if (answer.includes('<returncode>SUCCESS</returncode>')) acknowledged.push(meetingID);
      await joins(meetingID);
    }
  };
  const clients = Promise.all([1, 2, 3, 4].map(client));
  await eventually('15 meetings acknowledged', () => acknowledged.length >= 15, 20_000);

  // 2. mid-load, the product's Redis keys vanish; the API answers from this instance's own models all along
  t.ok((await deletePrefix()) > 0, 'the prefix held the shared read models');
  const before = [...acknowledged];
  const nodesAfter = await call(base, '/admin/api/v1/nodes', { token });
  t.equal((nodesAfter.body?.nodes as unknown[]).length, 2, 'the admin node list is not {"nodes":[]}');
  const listedAfter = await listed();
  t.same(before.filter((id) => !listedAfter.includes(id)), [], 'every meeting acknowledged before the loss is listed right after it');
  await eventually('15 more meetings acknowledged', () => acknowledged.length >= before.length + 15, 20_000);
  loading = false;
  await clients;

  // 3. within 5 s: everything acknowledged listed and joinable, and the shared copy healed with all of it
  await eventually('every acknowledged meeting listed', async () => {
    const now = await listed();
    return acknowledged.every((id) => now.includes(id));
  }, 5000);
  for (const meetingID of acknowledged) t.equal(await joins(meetingID), 302, `${meetingID} joinable`);
  await eventually('the shared meeting list in Redis healed', async () => (await redis.scard(`${prefix}meetings:tenant:acme`)) === acknowledged.length, 5000);
  await eventually('the shared node list in Redis healed', async () => (await redis.zcard(`${prefix}nodes`)) === 2, 5000);
  const health = await call(base, '/health');
  t.equal(health.status, 200);
  t.match(health.body, { status: 'ok' }, 'healed: no model degraded any more');
  const shared = (health.body?.projections as Array<{ name: string; heals?: number }>).filter((p) => p.name.startsWith('redis:'));
  t.ok(shared.length === 2 && shared.every((p) => (p.heals ?? 0) >= 1), 'both shared models were found lost and rebuilt');
});

t.test('when two instances share the lost prefix / both heal it, converge on one shared copy, and list every meeting', async (t) => {
  const node = await new BbbNodeSimulator({ secret: 'node-3-secret' }).start();
  t.teardown(() => node.stop());
  const twoPrefix = `${prefix}two:`;
  const instances = await Promise.all([1, 2].map(() => startAdminProduct(t, 'in-process', settings(twoPrefix))));
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const { token } = await tenantWithNodes(t, a.base, 'globex', GLOBEX_SECRET, [node]);
  const bbb = (base: string, name: string, params: Array<[string, string]>) => fetch(`${base}/t/globex/bigbluebutton/api/${name}?${signedQuery(name, params, GLOBEX_SECRET, 'sha256')}`, { redirect: 'manual' });
  await eventually('the third node available', async () => (await (await bbb(a.base, 'create', [['name', 'first'], ['meetingID', 'first']])).text()).includes('SUCCESS'), 10_000);
  const created = ['first'];
  for (let i = 0; i < 10; i++) {
    t.match(await (await bbb(i % 2 ? a.base : b.base, 'create', [['name', `r${i}`], ['meetingID', `r${i}`]])).text(), /SUCCESS/);
    created.push(`r${i}`);
  }
  const keys = await redis.keys(`${twoPrefix}*`);
  await redis.del(...keys);
  await eventually('the shared meeting list healed with every meeting', async () => (await redis.scard(`${twoPrefix}meetings:tenant:globex`)) === created.length, 5000);
  for (const { base } of instances) {
    await eventually('healed and not degraded', async () => ((await call(base, '/health')).body as { status: string }).status === 'ok', 5000);
    const listed = await (await bbb(base, 'getMeetings', [])).text();
    t.same(created.filter((id) => !listed.includes(`<meetingID>${id}</meetingID>`)), [], 'every meeting listed by this instance');
  }
  const healed = await Promise.all(instances.map(async ({ base }) => ((await call(base, '/health')).body as { projections: Array<{ name: string; heals?: number }> }).projections));
  t.ok(healed.flat().some((p) => p.name === 'redis:meetingList' && (p.heals ?? 0) >= 1), 'an instance found the loss and healed it');
  // The log is the first test's too: its two nodes and this one.
  const registered = ((await call(a.base, '/admin/api/v1/nodes', { token })).body?.nodes as unknown[]).length;
  t.equal(registered, 3);
  await eventually('the shared node list healed', async () => (await redis.zcard(`${twoPrefix}nodes`)) === registered, 5000);
});
