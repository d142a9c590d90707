/**
 * Create throughput in the production shape (EVENTSTORE=postgres, REDIS_URL) next to a raw durable balancer
 * (bench/rawCreateServer.ts: checksum + INSERT + forward + UPDATE) calling the same simulated nodes, in one
 * run: BENCH_ROUNDS (3) alternating rounds of BENCH_CREATES (1,000) creates of new meetings each, BENCH_CONNECTIONS
 * (32) in flight, load from wrk. Prints each side's median round and the ratios. `npm run bench:create`.
 *
 * DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: fresh databases are created beside it and dropped),
 * REDIS_URL (redis://127.0.0.1:6379: a random key prefix, deleted afterwards). BENCH_ENV: more settings for the
 * product as JSON (e.g. '{"POLL_INTERVAL_MS":"2000"}').
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startBenchProduct, TENANT, TENANT_SECRET, type BenchProduct } from './benchProduct.js';
import { withFreshDatabase } from './freshDatabase.js';
import { startRawCreateServer } from './rawCreateServer.js';
import { runLoad, wrkAvailable, type LoadResult } from './wrkLoad.js';

const CREATES = Number(process.env.BENCH_CREATES ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** `child`: the simulated nodes in a process of their own, as real nodes are other machines (default: this one). */
const NODES_IN = process.env.BENCH_NODES === 'child' ? 'child' : 'process';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const GOAL = { ratio: 0.5, p95Factor: 2 };

const progress = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const fmt = (r: Measured) =>
  `${String(r.perSecond).padStart(6)} creates/s  p50 ${r.p50Ms.toFixed(1)} ms  p95 ${r.p95Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  max ${r.maxMs.toFixed(1)} ms  (${r.requests} creates, ${r.failures} failures), ${(r.cpuUsPerCreate / 1000).toFixed(2)} ms CPU and ${r.statementsPerCreate.toFixed(2)} PostgreSQL statements per create, event-loop delay p99 ${r.loopP99Ms.toFixed(0)} ms max ${r.loopMaxMs.toFixed(0)} ms`;

/**
 * Besides the load: CPU of this process (server, simulated nodes, subscriptions) per create, and PostgreSQL
 * transactions per create in that side's own database (each statement outside a transaction is one): both
 * steadier than creates/s on a shared box.
 */
type Measured = LoadResult & { cpuUsPerCreate: number; statementsPerCreate: number; loopP99Ms: number; loopMaxMs: number };

/** Committed + rolled back transactions of one database so far (PostgreSQL flushes these within a second). */
async function transactions(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { rows } = await client.query<{ n: string }>('SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** CREATES creates of meetings never created before, after a warm-up of 200. */
async function burst(label: string, origin: string, path: (call: string, params: Array<[string, string]>) => string, databaseUrl: string): Promise<Measured> {
  const run = async (count: number) => {
    const prefix = randomUUID().slice(0, 8);
    const paths = Array.from({ length: count }, (_, i) => path('create', [['name', `Room ${i}`], ['meetingID', `${prefix}-${i}`], ['meta_origin', 'bench']]));
    return runLoad({ origin, paths, expectedStatus: 200, connections: CONNECTIONS, seconds: 300, maxRequests: count });
  };
  progress(`${label}: warm-up, 200 creates …`);
  await run(200);
  progress(`${label}: ${CREATES} creates, ${CONNECTIONS} in flight …`);
  const transactionsBefore = await transactions(databaseUrl);
  const cpuBefore = process.cpuUsage();
  // How long the event loop (servers, simulated nodes, subscriptions: one process) was held: what makes a tail.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const load = await run(CREATES);
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  // The 1.5 s wait and this bench's own two statements are counted too: a small, equal overcount on both sides.
  const statements = (await transactions(databaseUrl)) - transactionsBefore;
  const result = {
    ...load,
    cpuUsPerCreate: (cpu.user + cpu.system) / Math.max(1, load.requests),
    statementsPerCreate: statements / Math.max(1, load.requests),
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
  progress(`${label}: ${fmt(result)}`);
  if (result.failures > 0) throw new Error(`${label}: ${result.failures} creates failed`);
  return result;
}

/** The median run by throughput: one unlucky round on a shared box moves neither side's figure. */
function median(results: Measured[]): Measured {
  return [...results].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(results.length / 2)]!;
}

async function measure(product: BenchProduct, productDatabaseUrl: string, rawDatabaseUrl: string): Promise<{ product: Measured; raw: Measured }> {
  const raw = await startRawCreateServer({ tenant: TENANT, secret: TENANT_SECRET, nodes: product.nodes(), databaseUrl: rawDatabaseUrl });
  try {
    // Alternating rounds, so both sides see the same spells of load from the rest of the box.
    const raws: Measured[] = [];
    const products: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raws.push(await burst(`round ${round}/${ROUNDS} raw durable balancer`, raw.origin, product.path, rawDatabaseUrl));
      products.push(await burst(`round ${round}/${ROUNDS} product (postgres + redis)`, product.origin, product.path, productDatabaseUrl));
    }
    return { product: median(products), raw: median(raws) };
  } finally {
    await raw.close();
  }
}

if (!wrkAvailable()) {
  console.error('wrk is not installed (apt-get install wrk): it generates the load of this benchmark.');
  process.exit(1);
}
console.log(`create benchmark ${new Date().toISOString()}: Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const redisPrefix = `bench-create-${randomUUID()}:`;
const { product, raw } = await withFreshDatabase((eventsUrl) =>
  withFreshDatabase(async (rawUrl) => {
    progress('starting the product (EVENTSTORE=postgres, REDIS_URL) and 3 simulated nodes …');
    const started = await startBenchProduct(eventsUrl, { REDIS_URL, REDIS_PREFIX: redisPrefix, ...(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {}) }, { nodesIn: NODES_IN });
    try {
      return await measure(started, eventsUrl, rawUrl);
    } finally {
      await started.stop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  }),
);
const ratio = product.perSecond / raw.perSecond;
const p95Factor = product.p95Ms / raw.p95Ms;
const meets = ratio >= GOAL.ratio && p95Factor <= GOAL.p95Factor;
console.log(`\ncreate, ${CONNECTIONS} in flight, simulated nodes in ${NODES_IN === 'child' ? 'a child process' : 'this process'}, median of ${ROUNDS} rounds, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`  product ${fmt(product)}`);
console.log(`  raw     ${fmt(raw)}`);
console.log(`  CPU per create: product ${(product.cpuUsPerCreate / 1000).toFixed(2)} ms, raw ${(raw.cpuUsPerCreate / 1000).toFixed(2)} ms (raw/product ${(raw.cpuUsPerCreate / product.cpuUsPerCreate).toFixed(2)})`);
console.log(`  PostgreSQL statements per create: product ${product.statementsPerCreate.toFixed(2)}, raw ${raw.statementsPerCreate.toFixed(2)}`);
console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ ${GOAL.ratio}), p95 ${p95Factor.toFixed(2)}× raw's (goal ≤ ${GOAL.p95Factor}) → ${meets ? 'meets' : 'MISSES'} the goal`);
