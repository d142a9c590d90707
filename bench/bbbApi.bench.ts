/**
 * BBB API throughput and latency of the composed product on loopback, next to a raw `node:http` server
 * doing the same checksum + lookup + 302 (or XML) in the same run, in both shapes: embedded (memory store,
 * read models in process) and production (PostgreSQL events, Redis read models); in the production shape
 * also the time the shared Redis models take to heal after their keys are deleted. Then create latency with
 * the memory and the PostgreSQL event store. `npm run bench:bbb`. Load comes from wrk (see wrkLoad.ts for why).
 *
 * BENCH_SECONDS (10) per measured phase, BENCH_MAX_REQUESTS (1,000,000) per phase, BENCH_CONNECTIONS (64) for
 * join, BENCH_LIST_CONNECTIONS (4) for getMeetings,
 * BENCH_MEETINGS (1000) listed by getMeetings, BENCH_CREATES (500) per create phase, DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/test: a fresh database is created beside it and dropped), REDIS_URL
 * (redis://127.0.0.1:6379, under a random prefix deleted at the end), BENCH_POSTGRES=0 skips the production
 * shape and the PostgreSQL create phase, BENCH_HEAL=0 the heal measurement.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import { eventually } from '../test/support/eventually.js';
import { startBenchProduct, TENANT, type BenchProduct } from './benchProduct.js';
import { withFreshDatabase } from './freshDatabase.js';
import { startRawBbbServer } from './rawBbbServer.js';
import { runLoad, wrkAvailable, type LoadResult } from './wrkLoad.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 1_000_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** The raw baseline renders ~0.5 MB per getMeetings of 1,000 meetings (~35 ms): more clients only queue, and time out (wrk: 5 s) on a loaded box. */
const LIST_CONNECTIONS = Number(process.env.BENCH_LIST_CONNECTIONS ?? 4);
const CREATES = Number(process.env.BENCH_CREATES ?? 500);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 1000);
/** Joins go to the first of them, this many users each. */
const JOINED_MEETINGS = 30;
const USERS_PER_MEETING = 20;
/** Issue 10: join ≥ 0.6× raw with p99 ≤ 2× raw's; getMeetings ≥ 0.5× raw. */
const GOALS: Record<string, { ratio: number; p99TimesRaw?: number }> = { join: { ratio: 0.6, p99TimesRaw: 2 }, getMeetings: { ratio: 0.5 } };

const progress = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const fmt = (r: LoadResult) =>
  `${String(r.perSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p95 ${r.p95Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms  (${r.requests} requests, ${r.failures} failures)`;

/** CPU of this process (the servers, their sagas and read models) per answered request: steadier than req/s on a shared box. */
type Measured = LoadResult & { cpuUsPerRequest: number };

async function measure(label: string, origin: string, paths: string[], expectedStatus: number, connections = CONNECTIONS): Promise<Measured> {
  progress(`${label}: warm-up 2 s …`);
  await runLoad({ origin, paths, expectedStatus, connections, seconds: 2, maxRequests: MAX_REQUESTS });
  progress(`${label}: ${SECONDS} s with ${connections} keep-alive connections …`);
  const cpuBefore = process.cpuUsage();
  const load = await runLoad({ origin, paths, expectedStatus, connections, seconds: SECONDS, maxRequests: MAX_REQUESTS });
  const cpu = process.cpuUsage(cpuBefore);
  const result = { ...load, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, load.requests) };
  progress(`${label}: ${fmt(result)}, ${result.cpuUsPerRequest.toFixed(1)} µs CPU per request`);
  if (result.failures > 0) throw new Error(`${label}: ${result.failures} requests failed or had another status than ${expectedStatus}`);
  return result;
}

interface Comparison {
  shape: string;
  call: string;
  product: Measured;
  raw: Measured;
}

interface Shape {
  name: string;
  eventStore: string;
  env: Record<string, string>;
  /** After the measurements, with the product still running (the production shape's heal). */
  after?: (product: BenchProduct) => Promise<void>;
}

async function joinAndGetMeetings(shape: Shape): Promise<Comparison[]> {
  progress(`${shape.name}: starting the product and 3 simulated nodes …`);
  const product = await startBenchProduct(shape.eventStore, shape.env);
  try {
    const meetingIDs = await product.createMeetings('room', MEETINGS, 8);
    progress(`${shape.name}: ${MEETINGS} meetings created`);
    const raw = await startRawBbbServer(product.rawData(meetingIDs));
    try {
      const getMeetings = [product.path('getMeetings', [])];
      const joins = meetingIDs.slice(0, JOINED_MEETINGS).flatMap((meetingID) =>
        Array.from({ length: USERS_PER_MEETING }, (_, u) => product.path('join', [['fullName', `Participant ${u} of ${meetingID}`], ['meetingID', meetingID], ['role', u === 0 ? 'MODERATOR' : 'VIEWER']])),
      );
      // getMeetings first, so both list the same meetings without participants (joins add them to the product's).
      const comparisons: Comparison[] = [];
      for (const [call, paths, status, connections] of [['getMeetings', getMeetings, 200, LIST_CONNECTIONS], ['join', joins, 302, CONNECTIONS]] as const) {
        const productResult = await measure(`${shape.name} ${call} product`, product.origin, paths, status, connections);
        const rawResult = await measure(`${shape.name} ${call} raw node:http`, raw.origin, paths, status, connections);
        comparisons.push({ shape: shape.name, call, product: productResult, raw: rawResult });
      }
      await shape.after?.(product);
      return comparisons;
    } finally {
      await raw.close();
    }
  } finally {
    await product.stop();
  }
}

/**
 * Deletes the prefix's keys and times until both shared models hold every meeting and node again; meanwhile
 * getMeetings must still list every meeting (it answers from the instance's own models).
 */
async function healAfterKeysDeleted(product: BenchProduct, redis: Redis, prefix: string): Promise<number> {
  const keys = await redis.keys(`${prefix}*`);
  const started = performance.now();
  await redis.del(...keys);
  const listed = (await (await fetch(`${product.origin}${product.path('getMeetings', [])}`)).text()).split('<meetingID>').length - 1;
  if (listed !== MEETINGS) throw new Error(`getMeetings listed ${listed} of ${MEETINGS} meetings right after the Redis keys were deleted`);
  await eventually('the shared models healed', async () => {
    const [meetings, nodes] = await Promise.all([redis.scard(`${prefix}meetings:tenant:${TENANT}`), redis.zcard(`${prefix}nodes`)]);
    return meetings === MEETINGS && nodes === 3;
  }, 60_000);
  const ms = performance.now() - started;
  progress(`production: ${keys.length} Redis keys deleted; getMeetings still listed all ${MEETINGS}; shared models healed in ${ms.toFixed(0)} ms`);
  return ms;
}

async function creates(label: string, product: BenchProduct, connections: number): Promise<LoadResult> {
  const prefix = `c${connections}-${randomUUID().slice(0, 8)}`;
  const paths = Array.from({ length: CREATES }, (_, i) => product.path('create', [['name', `Room ${i}`], ['meetingID', `${prefix}-${i}`], ['meta_origin', 'bench']]));
  progress(`${label}: ${CREATES} creates over ${connections} connection(s) …`);
  const result = await runLoad({ origin: product.origin, paths, expectedStatus: 200, connections, seconds: 120, maxRequests: CREATES });
  progress(`${label}: ${fmt(result)}`);
  const list = await (await fetch(`${product.origin}${product.path('getMeetings', [])}`)).text();
  const listed = list.split(`<meetingID>${prefix}-`).length - 1;
  if (listed < Math.min(result.requests, CREATES) - connections) throw new Error(`${label}: only ${listed} of ${result.requests} creates are listed`);
  return result;
}

async function createLatency(eventStore: string, label: string): Promise<LoadResult[]> {
  progress(`starting the product (${label}) and 3 simulated nodes …`);
  const product = await startBenchProduct(eventStore);
  try {
    await product.createMeetings('warm', 20);
    return [await creates(`create ${label}, 1 connection`, product, 1), await creates(`create ${label}, 16 connections`, product, 16)];
  } finally {
    await product.stop();
  }
}

if (!wrkAvailable()) {
  console.error('wrk is not installed (apt-get install wrk): it generates the load of this benchmark.');
  process.exit(1);
}
console.log(`BBB API benchmark ${new Date().toISOString()}: Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log(`wrk -t1 -c${CONNECTIONS} (getMeetings -c${LIST_CONNECTIONS}), ${SECONDS} s per phase (after 2 s warm-up), ${MEETINGS} meetings on 3 simulated nodes (joins to ${JOINED_MEETINGS} of them), loopback`);
const comparisons = await joinAndGetMeetings({ name: 'embedded', eventStore: 'memory', env: {} });
let healMs: number | undefined;
if (process.env.BENCH_POSTGRES !== '0') {
  const redis = new Redis(REDIS_URL);
  const prefix = `bench-${randomUUID()}:`;
  try {
    const env = { REDIS_URL, REDIS_PREFIX: prefix };
    const after = async (product: BenchProduct) => void (healMs = await healAfterKeysDeleted(product, redis, prefix));
    const heal = process.env.BENCH_HEAL === '0' ? {} : { after };
    comparisons.push(...(await withFreshDatabase((url) => joinAndGetMeetings({ name: 'production', eventStore: url, env, ...heal }))));
  } finally {
    for (const glob of [`${prefix}*`, `${prefix.replace(/:$/, '')}~*`]) {
      const keys = await redis.keys(glob);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  }
}
const memoryCreates = await createLatency('memory', 'EVENTSTORE=memory');
const postgresCreates = process.env.BENCH_POSTGRES === '0' ? undefined : await withFreshDatabase((url) => createLatency(url, 'EVENTSTORE=postgres'));

console.log(`\nthroughput and latency, product vs raw node:http (same checksum + lookup + answer), getMeetings of ${MEETINGS} meetings, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const { shape, call, product, raw } of comparisons) {
  const goal = GOALS[call]!;
  const ratio = product.perSecond / raw.perSecond;
  const p99Ok = goal.p99TimesRaw === undefined || product.p99Ms <= goal.p99TimesRaw * raw.p99Ms;
  const verdict = ratio >= goal.ratio && p99Ok ? 'meets' : 'MISSES';
  const p99Goal = goal.p99TimesRaw === undefined ? '' : `, p99 ≤ ${goal.p99TimesRaw}× raw's`;
  const label = `${shape} ${call}`.padEnd(22);
  console.log(`  ${label} product ${fmt(product)}`);
  console.log(`  ${''.padEnd(22)} raw     ${fmt(raw)}`);
  console.log(`  ${''.padEnd(22)} ratio ${ratio.toFixed(2)}, p99 ${(product.p99Ms / raw.p99Ms).toFixed(2)}× raw's → ${verdict} the goal (≥ ${goal.ratio} of raw${p99Goal})`);
  console.log(`  ${''.padEnd(22)} CPU per request: product ${product.cpuUsPerRequest.toFixed(1)} µs, raw ${raw.cpuUsPerRequest.toFixed(1)} µs (raw/product ${(raw.cpuUsPerRequest / product.cpuUsPerRequest).toFixed(2)})`);
}
if (healMs !== undefined) console.log(`\nproduction: shared Redis models healed ${healMs.toFixed(0)} ms after their keys were deleted (READ_MODEL_CHECK_MS 1000 included)`);
console.log('\ncreate latency (placement, node create, events appended, read model caught up)');
for (const result of [...memoryCreates, ...(postgresCreates ?? [])]) console.log(`  ${fmt(result)}`);
console.log(`  memory:   1 conn p95 ${memoryCreates[0]!.p95Ms.toFixed(2)} ms, 16 conn p95 ${memoryCreates[1]!.p95Ms.toFixed(2)} ms`);
if (postgresCreates) console.log(`  postgres: 1 conn p95 ${postgresCreates[0]!.p95Ms.toFixed(2)} ms, 16 conn p95 ${postgresCreates[1]!.p95Ms.toFixed(2)} ms`);
