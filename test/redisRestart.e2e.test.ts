import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { startAdminProduct } from './support/adminProduct.js';
import { eventually } from './support/eventually.js';
import { call } from './support/httpHarness.js';
import { tenantWithNodes } from './support/tenantWithNodes.js';

const TENANT_SECRET = 'acme-secret-for-the-redis-restart-drill';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A private Redis on loopback, without persistence: a restart comes back empty. Never the shared server. */
function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  return eventually('the private Redis answers', async () => {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, 10_000).then(() => child);
}

t.test('when the private Redis restarts empty / the API answers throughout and the shared models are rebuilt without a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-redis-drill-'));
  const port = await freePort();
  let redisServer = await startRedis(port, dir);
  t.teardown(async () => {
    redisServer.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const node = await new BbbNodeSimulator({ secret: 'node-secret' }).start();
  t.teardown(() => node.stop());
  // Its own Redis, given as settings (the harness's 'redis' mode is the shared server).
  const { base } = await startAdminProduct(t, 'in-process', { REDIS_URL: `redis://127.0.0.1:${port}`, READ_MODEL_CHECK_MS: '100', POLL_INTERVAL_MS: '200' });
  const { bbb } = await tenantWithNodes(t, base, 'acme', TENANT_SECRET, [node]);
  await eventually('the node takes meetings', async () => (await (await bbb('create', [['name', 'r0'], ['meetingID', 'r0']])).text()).includes('SUCCESS'), 10_000);
  for (let i = 1; i < 8; i++) t.match(await (await bbb('create', [['name', `r${i}`], ['meetingID', `r${i}`]])).text(), /SUCCESS/);
  const shared = new Redis(port, '127.0.0.1');
  shared.on('error', () => {});
  t.teardown(() => shared.disconnect());
  await eventually('the shared copy holds the meetings', async () => (await shared.scard('bbb-ledger:meetings:tenant:acme')) === 8, 5000);

  // 1. Redis dies and comes back empty
  redisServer.kill('SIGKILL');
  await new Promise((resolve) => redisServer.once('exit', resolve));
  const whileDown = await (await bbb('getMeetings', [])).text();
  t.equal(whileDown.split('<meetingID>').length - 1, 8, 'getMeetings lists every meeting while Redis is down');
  t.equal((await bbb('join', [['fullName', 'Ada'], ['meetingID', 'r3'], ['role', 'VIEWER']])).status, 302, 'join works while Redis is down');
  redisServer = await startRedis(port, dir);

  // 2. found lost and rebuilt, without a restart of the product
  await eventually('the shared meeting list rebuilt', async () => (await shared.scard('bbb-ledger:meetings:tenant:acme').catch(() => 0)) === 8, 10_000);
  await eventually('the shared node list rebuilt', async () => (await shared.zcard('bbb-ledger:nodes').catch(() => 0)) === 1, 10_000);
  await eventually('/health ok again', async () => ((await call(base, '/health')).body as { status: string }).status === 'ok', 10_000);
  const health = (await call(base, '/health')).body as { projections: Array<{ name: string; heals?: number }> };
  t.ok(health.projections.filter((p) => p.name.startsWith('redis:')).every((p) => (p.heals ?? 0) >= 1), 'both shared models were found lost and healed');
  t.equal((await bbb('join', [['fullName', 'Bo'], ['meetingID', 'r5'], ['role', 'VIEWER']])).status, 302);
});
