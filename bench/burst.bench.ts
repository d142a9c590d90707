/**
 * Burst placement: the composed product in this process (EVENTSTORE=memory), 10 equal simulated BBB nodes
 * all healthy, BENCH_CREATES creates (default 1,000) fired within BENCH_WINDOW_MS (default 2,000) over real
 * HTTP on loopback with at most BENCH_CONCURRENCY (default 64) in flight. Reports meetings per node
 * (goal: max/min ≤ 1.2), the distribution and creates/s. `npm run bench:burst`.
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

const NODES = Number(process.env.BENCH_NODES ?? 10);
const CREATES = Number(process.env.BENCH_CREATES ?? 1000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const GOAL = 1.2;
const ADMIN_SECRET = 'burst-bench-admin-secret-long-enough-for-hs256';
const TENANT_SECRET = 'burst-bench-tenant-secret';

const simulators = await Promise.all(Array.from({ length: NODES }, (_, i) => new BbbNodeSimulator({ secret: `burst-node-${i}-secret` }).start()));
const config = loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '1000', POLL_TIMEOUT_MS: '2000', LOG_LEVEL: 'silent' });
const composed = await compose(config, silentLogger);
await composed.start();
const server = createServer(composed.requestListener);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  // 1. one tenant, NODES equal nodes, all healthy before the burst
  const token = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(ADMIN_SECRET));
  await admin('/admin/api/v1/tenants', { name: 'acme', secrets: [TENANT_SECRET] });
  for (const simulator of simulators) await admin('/admin/api/v1/nodes', { url: simulator.apiUrl, secret: simulator.secret, tags: [], loadFactor: 1 });
  await eventually('every node available', () => composed.nodeDirectory.nodesForPlacement().every((n) => n.health === 'available'), 30_000);

  // 2. the burst: creates started evenly over the window, never more than CONCURRENCY in flight
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < CREATES; i = next++) {
      const due = started + (i * WINDOW_MS) / CREATES;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = performance.now();
      const query = signedQuery('create', [['name', `Room ${i}`], ['meetingID', `burst-${i}`]], TENANT_SECRET, 'sha256');
      const text = await (await fetch(`${base}/t/acme/bigbluebutton/api/create?${query}`)).text();
      latencies.push(performance.now() - t0);
      if (!text.includes('<returncode>SUCCESS</returncode>')) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedMs = performance.now() - started;

  // 3. the figures
  const perNode = simulators.map((s) => s.meetings.size);
  const max = Math.max(...perNode);
  const min = Math.min(...perNode);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(`burst: ${CREATES} creates over ${NODES} nodes, ${CONCURRENCY} in flight, window ${WINDOW_MS} ms (Node ${process.version})`);
  console.log(`  done in ${(elapsedMs / 1000).toFixed(2)} s → ${(CREATES / (elapsedMs / 1000)).toFixed(0)} creates/s, ${failed} failed`);
  console.log(`  latency ms: p50 ${pct(50)}, p90 ${pct(90)}, p99 ${pct(99)}, max ${latencies.at(-1)!.toFixed(1)}`);
  console.log(`  meetings per node: ${perNode.join(' ')}`);
  console.log(`  max/min ${min === 0 ? '∞' : (max / min).toFixed(3)} (goal ≤ ${GOAL}) → ${min > 0 && max / min <= GOAL ? 'PASS' : 'FAIL'}`);
  process.exitCode = min > 0 && max / min <= GOAL && failed === 0 ? 0 : 1;

  async function admin(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
} finally {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await composed.stop();
  await Promise.all(simulators.map((s) => s.stop()));
}
