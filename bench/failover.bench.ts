/**
 * Failover: the composed product in this process (EVENTSTORE=memory), BENCH_MEETINGS (default 50) meetings
 * on node A, two empty healthy nodes B and C; A is killed, and every meeting's join is polled until it
 * redirects to B or C. Reports seconds from the kill to offline detection and to every meeting joinable
 * elsewhere, against the goal poll interval + 2 s. BENCH_POLL_INTERVAL_MS (default 2000), BENCH_POLL_RETRY_MS
 * (POLL_RETRY_MS) and BENCH_FAIL_THRESHOLD (HEALTH_FAIL_THRESHOLD) set the detection; the last two default to
 * the product's defaults. `npm run bench:failover`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { silentLogger } from '../src/logging.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../test/support/eventually.js';

const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 50);
const POLL_INTERVAL_MS = Number(process.env.BENCH_POLL_INTERVAL_MS ?? 2000);
const detection = Object.fromEntries(
  Object.entries({ POLL_RETRY_MS: process.env.BENCH_POLL_RETRY_MS, HEALTH_FAIL_THRESHOLD: process.env.BENCH_FAIL_THRESHOLD }).filter(([, v]) => v !== undefined),
);
const ADMIN_SECRET = 'failover-bench-admin-secret-long-enough-for-hs256';
const TENANT_SECRET = 'failover-bench-tenant-secret';

const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => new BbbNodeSimulator({ secret: `failover-${n}-secret` }).start()));
const simulators = [a!, b!, c!];
const config = loadConfig({
  EVENTSTORE: 'memory',
  ADMIN_JWT_SECRET: ADMIN_SECRET,
  POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
  POLL_TIMEOUT_MS: String(Math.min(2000, POLL_INTERVAL_MS)),
  ...detection,
  LOG_LEVEL: 'silent',
});
const composed = await compose(config, silentLogger);
await composed.start();
const server = createServer(composed.requestListener);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const token = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(ADMIN_SECRET));

try {
  // 1. every meeting on A: B and C are registered afterwards
  await admin('/admin/api/v1/tenants', { name: 'acme', secrets: [TENANT_SECRET] });
  const aId = await admin('/admin/api/v1/nodes', { url: a!.apiUrl, secret: a!.secret, tags: [], loadFactor: 1 });
  await eventually('A available', () => composed.nodeDirectory.get(aId)?.health === 'available', 60_000);
  for (let i = 0; i < MEETINGS; i++) {
    const query = signedQuery('create', [['name', `Room ${i}`], ['meetingID', `room-${i}`], ['moderatorPW', 'mp']], TENANT_SECRET, 'sha256');
    const text = await (await fetch(`${base}/t/acme/bigbluebutton/api/create?${query}`)).text();
    if (!text.includes('SUCCESS')) throw new Error(`create room-${i}: ${text}`);
  }
  for (const node of [b!, c!]) await admin('/admin/api/v1/nodes', { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 });
  await eventually('every node available', () => composed.nodeDirectory.nodesForPlacement().every((n) => n.health === 'available'), 60_000);

  // 2. kill A; poll every meeting's join until it redirects to B or C
  const joinUrls = Array.from({ length: MEETINGS }, (_, i) => `${base}/t/acme/bigbluebutton/api/join?${signedQuery('join', [['fullName', 'Ada'], ['meetingID', `room-${i}`], ['password', 'mp']], TENANT_SECRET, 'sha256')}`);
  const joinableAt: number[] = [];
  const killedAt = performance.now();
  await a!.kill();
  let detectedAt: number | undefined;
  const pending = new Set(joinUrls.keys());
  while (pending.size > 0) {
    if (detectedAt === undefined && composed.nodeDirectory.get(aId)?.health === 'offline') detectedAt = performance.now();
    await Promise.all(
      [...pending].map(async (i) => {
        const location = (await fetch(joinUrls[i]!, { redirect: 'manual' })).headers.get('location') ?? '';
        if (location.startsWith(b!.apiUrl) || location.startsWith(c!.apiUrl)) {
          joinableAt[i] = performance.now();
          pending.delete(i);
        }
      }),
    );
    if (performance.now() - killedAt > 120_000) throw new Error(`${pending.size} meetings still not joinable after 120 s`);
    await new Promise((r) => setTimeout(r, 25));
  }

  // 3. the figures
  const seconds = (at: number) => ((at - killedAt) / 1000).toFixed(2);
  const last = Math.max(...joinableAt);
  const goal = POLL_INTERVAL_MS / 1000 + 2;
  const allJoinable = (last - killedAt) / 1000;
  console.log(`failover: ${MEETINGS} meetings on a killed node, 2 healthy nodes (Node ${process.version})`);
  console.log(`  POLL_INTERVAL_MS ${config.pollIntervalMs}, POLL_RETRY_MS ${config.pollRetryMs}, HEALTH_FAIL_THRESHOLD ${config.healthFailThreshold}, FAILOVER_CONCURRENCY ${config.failoverConcurrency}`);
  console.log(`  offline detected (node directory) after ${detectedAt === undefined ? '?' : seconds(detectedAt)} s`);
  console.log(`  first meeting joinable elsewhere after ${seconds(Math.min(...joinableAt))} s, every one after ${allJoinable.toFixed(2)} s`);
  console.log(`  moved: B ${b!.meetings.size}, C ${c!.meetings.size}`);
  console.log(`  goal ≤ poll interval + 2 s = ${goal.toFixed(2)} s → ${allJoinable <= goal ? 'PASS' : 'FAIL'}`);
  process.exitCode = allJoinable <= goal ? 0 : 1;
} finally {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await composed.stop();
  await Promise.all(simulators.map((s) => s.stop()));
}

async function admin(path: string, body: unknown): Promise<string> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return String(((await response.json()) as { id?: string }).id ?? '');
}
