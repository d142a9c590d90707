import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { startAdminProduct } from './support/adminProduct.js';
import { eventually } from './support/eventually.js';
import { call } from './support/httpHarness.js';
import { tenantWithNodes } from './support/tenantWithNodes.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefix = `test:${randomUUID()}:`;
t.teardown(async () => {
  for (const p of [prefix, `${prefix.replace(/:$/, '')}~`]) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

t.test('when a shared Redis record holds another shape / the API answers as before, /health counts a heal, and the record is rewritten in this shape', async (t) => {
  const node = await new BbbNodeSimulator({ secret: 'node-shape-secret' }).start();
  t.teardown(() => node.stop());
  const { base } = await startAdminProduct(t, 'in-process', { REDIS_URL, REDIS_PREFIX: prefix, READ_MODEL_CHECK_MS: '100' });
  const { bbb } = await tenantWithNodes(t, base, 'acme', 'acme-secret-for-the-shape-test', [node]);
  await eventually('the node takes meetings', async () => (await (await bbb('create', [['name', 'Room'], ['meetingID', 'room']])).text()).includes('SUCCESS'), 10_000);
  await eventually('the meeting in the shared copy', async () => (await redis.scard(`${prefix}meetings:tenant:acme`)) === 1, 5000);
  const [id] = await redis.smembers(`${prefix}meetings:tenant:acme`);

  // 1. a newer version of bbb-ledger rewrote the meeting's record, and a node's, in a shape this one cannot read
  await redis.hset(`${prefix}meeting:${id}`, 'v', '2', 'entry', '{"renamed":true}');
  await redis.hset(`${prefix}node:${(await redis.zrange(`${prefix}nodes`, '0', '-1'))[0]}`, 'v', '2');
  // 2. the API does not read the shared copy: it answers as before, never a 500
  const listed = await bbb('getMeetings', []);
  t.equal(listed.status, 200);
  t.match(await listed.text(), /<meetingID>room<\/meetingID>/);
  t.equal((await bbb('join', [['fullName', 'Ada'], ['meetingID', 'room'], ['role', 'VIEWER']])).status, 302);
  // 3. both shared models are found in another shape and rebuilt in this one
  await eventually('both shared models healed', async () => {
    const health = await call(base, '/health');
    const shared = (health.body?.projections as Array<{ name: string; heals?: number }>).filter((p) => p.name.startsWith('redis:'));
    return health.body?.status === 'ok' && shared.length === 2 && shared.every((p) => p.heals === 1);
  }, 10_000);
  t.equal(await redis.hget(`${prefix}meeting:${id}`, 'v'), '1');
  t.match(JSON.parse((await redis.hget(`${prefix}meeting:${id}`, 'entry'))!), { meetingID: 'room' }, 'the record is the meeting again');
});
