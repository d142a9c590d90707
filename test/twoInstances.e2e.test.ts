import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { freshDatabase } from './eventstore/postgresTestDb.js';
import { eventually } from './support/eventually.js';
import { ADMIN_SECRET, adminToken, call } from './support/httpHarness.js';
import { deletePrefixKeysAt, REDIS_URL } from './support/testRedis.js';

const bbb = createRequire(import.meta.url)('bigbluebutton-js') as {
  api(host: string, secret: string): {
    administration: { create(name: string, id: string, params?: object): string; join(name: string, id: string, password: string): string };
    monitoring: { getMeetings(): string };
  };
  http(url: string): Promise<Record<string, unknown>>;
};

const TENANT_SECRET = 'acme-secret-for-two-instances';

interface Instance {
  name: string;
  child: ChildProcess;
  base: string;
  /** Every lease this instance has taken, in order. */
  acquired: string[];
}

/** Kills an instance that still runs; resolves once it is gone. */
async function stopped(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.kill('SIGKILL');
  await exited;
}

/** `src/main.ts` as `npm start` runs it; its JSON log tells the port and which leases it took. */
async function startInstance(t: Test, name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const instance: Instance = { name, child, base: '', acquired: [] };
  t.teardown(() => stopped(instance));
  const listening = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number; lease?: string };
      if (entry.msg?.startsWith('listening on') && entry.port) {
        instance.base = `http://127.0.0.1:${entry.port}`;
        resolve();
      }
      if (entry.lease && entry.msg?.includes('acquired')) instance.acquired.push(entry.lease);
    });
  });
  await listening;
  return instance;
}

t.test('two instances on one Postgres and one Redis / each saga runs in one of them; SIGKILL the holder and the other takes over', async (t) => {
  const eventStore = await freshDatabase(t);
  const blobDir = await mkdtemp(join(tmpdir(), 'bbb-ledger-two-'));
  t.teardown(() => rm(blobDir, { recursive: true, force: true }));
  const nodes = await Promise.all([1, 2].map((i) => new BbbNodeSimulator({ secret: `two-node-${i}-secret` }).start()));
  t.teardown(() => Promise.all(nodes.map((n) => n.stop())));
  const shared = {
    EVENTSTORE: eventStore,
    REDIS_URL,
    REDIS_PREFIX: `two-${randomUUID()}:`,
    ADMIN_JWT_SECRET: ADMIN_SECRET,
    BLOB_DIR: blobDir,
    POLL_INTERVAL_MS: '200',
    POLL_TIMEOUT_MS: '300',
    LEASE_TTL_MS: '1500',
    LEASE_RENEW_MS: '300',
  };
  // Each instance asks another (missing) load path: the nodes' request counts show who polls.
  const one = await startInstance(t, 'one', { ...shared, NODE_LOAD_PATH: '/load/one' });
  const two = await startInstance(t, 'two', { ...shared, NODE_LOAD_PATH: '/load/two' });
  // After both instances are gone (whichever order tap runs teardowns in), their keys go too.
  t.teardown(async () => {
    await Promise.all([one, two].map(stopped));
    await deletePrefixKeysAt(REDIS_URL, shared.REDIS_PREFIX);
  });
  const polls = (instance: Instance) => nodes.reduce((sum, n) => sum + (n.requestsByPath.get(`/load/${instance.name}`) ?? 0), 0);

  const token = await adminToken();
  t.equal((await call(one.base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } })).status, 201);
  const nodeIds: string[] = [];
  for (const node of nodes) {
    const res = await call(one.base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } });
    nodeIds.push(String(res.body?.id));
  }
  const available = async (instance: Instance) => {
    const list = (await call(instance.base, '/admin/api/v1/nodes', { token })).body as { nodes: Array<{ health: string }> };
    return list.nodes.length === 2 && list.nodes.every((n) => n.health === 'available');
  };
  await eventually('both instances to see both nodes available', async () => (await available(one)) && (await available(two)));

  // 1. exactly one holder per saga, and only the fleet holder polls
  for (const saga of ['fleet', 'failover']) t.equal([...one.acquired, ...two.acquired].filter((l) => l === saga).length, 1, `one instance holds ${saga}`);
  const [holder, other] = one.acquired.includes('fleet') ? [one, two] : [two, one];
  t.ok(polls(holder) > 0, `${holder.name} polls`);
  t.equal(polls(other), 0, `${other.name} never polled`);

  // 2. the BBB API agrees across instances: create through one, join and list through the other
  const apiOne = bbb.api(`${one.base}/t/acme/bigbluebutton`, TENANT_SECRET);
  const apiTwo = bbb.api(`${two.base}/t/acme/bigbluebutton`, TENANT_SECRET);
  t.equal((await bbb.http(apiOne.administration.create('Shared room', 'shared-room', { moderatorPW: 'mp', attendeePW: 'ap' }))).returncode, 'SUCCESS');
  const runsOn = nodes.find((n) => n.meetings.has(nodeMeetingIdOf('acme', 'shared-room')))!;
  const joinedAt = async (api: typeof apiTwo) => (await fetch(api.administration.join('Bob', 'shared-room', 'ap'), { redirect: 'manual' })).headers.get('location') ?? '';
  await eventually('a join through two to redirect to the node', async () => (await joinedAt(apiTwo)).startsWith(runsOn.apiUrl));
  const listed = await bbb.http(apiTwo.monitoring.getMeetings());
  t.match(listed.meetings, [{ meetingID: 'shared-room' }], 'getMeetings through two lists it');

  // 3. the holder dies without a word; the other takes its leases over and polls
  const before = polls(other);
  holder.child.kill('SIGKILL');
  await eventually(`${other.name} to take the fleet lease`, () => other.acquired.includes('fleet'), 20_000);
  await eventually(`${other.name} to poll`, () => polls(other) > before, 20_000);
  await eventually(`${other.name} to take the failover lease`, () => other.acquired.includes('failover'), 20_000);

  // 4. and acts on it: the node with the meeting dies, the survivor moves the meeting
  const spare = nodes.find((n) => n !== runsOn)!;
  await runsOn.kill();
  const survivorApi = other === one ? apiOne : apiTwo;
  await eventually('the meeting to move to the other node', async () => (await joinedAt(survivorApi)).startsWith(spare.apiUrl), 20_000);
  t.ok(spare.meetings.has(nodeMeetingIdOf('acme', 'shared-room')), 're-created on the spare node');
});
