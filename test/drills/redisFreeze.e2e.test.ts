/**
 * Drill: Redis hangs (a freezing proxy in front of the shared Redis holds every byte) under the product with
 * REDIS_TIMEOUT_MS=500. BBB answers keep coming within the bound and are never HTTP 500, /health shows Redis
 * unavailable, the outage is logged once when it starts and once when it ends, and after the thaw the product
 * works without a restart.
 */
import { randomUUID } from 'node:crypto';
import { deletePrefixKeysAt } from '../support/testRedis.js';
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { captureLogger } from '../eventstore/captureLogger.js';
import { eventually } from '../support/eventually.js';
import { startDrillProduct } from './drillProduct.js';
import { startFreezingProxy } from './freezingProxy.js';

const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const TIMEOUT_MS = 500;
/** A call makes a few bounded Redis round trips at most; past this the product hung. */
const ANSWER_BOUND_MS = 4 * TIMEOUT_MS + 2000;
const SECRET = 'redis-drill-tenant-secret';

t.test('a Redis that hangs / bounded answers, never a 500, unavailable in /health, logged once per change, recovery without a restart', async (t) => {
  const proxy = await startFreezingProxy(t, { host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379) });
  const node = await new BbbNodeSimulator({ secret: 'redis-drill-node-secret' }).start();
  t.teardown(() => node.stop());
  const prefix = `redis-drill-${randomUUID()}:`;
  t.teardown(() => deletePrefixKeysAt(REDIS_URL.href, prefix));
  const { logger, lines } = captureLogger();
  const config = loadConfig({
    EVENTSTORE: 'memory',
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_PREFIX: prefix,
    REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
    POLL_INTERVAL_MS: '500',
    READ_YOUR_WRITES_TIMEOUT_MS: '2000',
    ADMIN_JWT_SECRET: 'redis-drill-admin-secret-long-enough-for-hs256',
  });
  const { base } = await startDrillProduct(t, config, logger, { node, secret: SECRET, thaw: () => proxy.thaw() });
  const bbb = async (call: string, params: Array<[string, string]>) => {
    const response = await fetch(`${base}/t/acme/bigbluebutton/api/${call}?${signedQuery(call, params, SECRET, 'sha256')}`, { redirect: 'manual', signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
    return { status: response.status, body: await response.text() };
  };
  const health = async () => (await (await fetch(`${base}/health`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) })).json()) as { stores: { redis?: { available: boolean } } };
  const redisLines = (word: string) => lines.filter((l) => l.store === 'Redis' && l.msg.includes(word));
  t.match((await bbb('create', [['name', 'Room'], ['meetingID', 'before']])).body, /SUCCESS/);

  proxy.freeze();
  for (let i = 0; i < 3; i++) {
    const join = await bbb('join', [['fullName', 'Ann'], ['meetingID', 'before'], ['role', 'VIEWER']]);
    t.not(join.status, 500, 'join is answered, never with a 500');
    const list = await bbb('getMeetings', []);
    t.equal(list.status, 200, 'getMeetings is answered');
    t.match(list.body, /<returncode>(SUCCESS|FAILED)<\/returncode>/);
  }
  await eventually('/health shows Redis unavailable', async () => (await health()).stores.redis?.available === false, 10_000);
  t.equal(redisLines('is unavailable').length, 1, 'the outage is logged once');

  proxy.thaw();
  await eventually('/health shows Redis available again', async () => (await health()).stores.redis?.available === true, 10_000);
  t.equal(redisLines('available again').length, 1, 'the recovery is logged once');
  t.equal(redisLines('is unavailable').length, 1, 'still one outage line');
  t.match((await bbb('create', [['name', 'Room'], ['meetingID', 'after']])).body, /SUCCESS/, 'creates work again without a restart');
  await eventually('both meetings listed', async () => {
    const list = (await bbb('getMeetings', [])).body;
    return list.includes('<meetingID>before</meetingID>') && list.includes('<meetingID>after</meetingID>');
  }, 10_000);
  t.notOk(lines.some((l) => l.msg === 'BBB API request failed'), 'no request logged an error of its own');
});
