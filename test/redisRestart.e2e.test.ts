import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { silentLogger } from '../src/logging.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { eventually } from './support/eventually.js';
import { ADMIN_SECRET, adminToken, call, serve } from './support/httpHarness.js';

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
  const env = { EVENTSTORE: 'memory', REDIS_URL: `redis://127.0.0.1:${port}`, READ_MODEL_CHECK_MS: '100', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '200', LOG_LEVEL: 'silent' };
  const composed = await compose(loadConfig(env), silentLogger);
  await composed.start();
  t.teardown(() => composed.stop());
  const base = await serve(t, composed.requestListener);
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } })).status, 201);
  t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } })).status, 201);
  const bbb = (name: string, params: Array<[string, string]>) => fetch(`${base}/t/acme/bigbluebutton/api/${name}?${signedQuery(name, params, TENANT_SECRET, 'sha256')}`, { redirect: 'manual' });
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
