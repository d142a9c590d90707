/**
 * BBB API throughput and latency of the composed product on loopback, next to a raw `node:http` server
 * doing the same checksum + lookup + 302 (or XML) in the same run; then create latency with the memory and
 * the PostgreSQL event store. `npm run bench:bbb`. Load comes from wrk (see wrkLoad.ts for why).
 *
 * BENCH_SECONDS (10) per measured phase, BENCH_MAX_REQUESTS (1,000,000) per phase, BENCH_CONNECTIONS (64),
 * BENCH_CREATES (500) per create phase, DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: a fresh
 * database is created beside it and dropped), BENCH_POSTGRES=0 skips the PostgreSQL phase.
 */
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { startBenchProduct, type BenchProduct } from './benchProduct.js';
import { withFreshDatabase } from './freshDatabase.js';
import { startRawBbbServer } from './rawBbbServer.js';
import { runLoad, wrkAvailable, type LoadResult } from './wrkLoad.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 1_000_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const CREATES = Number(process.env.BENCH_CREATES ?? 500);
const MEETINGS = 30;
const USERS_PER_MEETING = 20;
const GOAL = { ratio: 0.6, p99Ms: 5 };

const progress = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const fmt = (r: LoadResult) =>
  `${String(r.perSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p95 ${r.p95Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms  (${r.requests} requests, ${r.failures} failures)`;

/** CPU of this process (the servers, their sagas and read models) per answered request: steadier than req/s on a shared box. */
type Measured = LoadResult & { cpuUsPerRequest: number };

async function measure(label: string, origin: string, paths: string[], expectedStatus: number): Promise<Measured> {
  progress(`${label}: warm-up 2 s …`);
  await runLoad({ origin, paths, expectedStatus, connections: CONNECTIONS, seconds: 2, maxRequests: MAX_REQUESTS });
  progress(`${label}: ${SECONDS} s with ${CONNECTIONS} keep-alive connections …`);
  const cpuBefore = process.cpuUsage();
  const load = await runLoad({ origin, paths, expectedStatus, connections: CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS });
  const cpu = process.cpuUsage(cpuBefore);
  const result = { ...load, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, load.requests) };
  progress(`${label}: ${fmt(result)}, ${result.cpuUsPerRequest.toFixed(1)} µs CPU per request`);
  if (result.failures > 0) throw new Error(`${label}: ${result.failures} requests failed or had another status than ${expectedStatus}`);
  return result;
}

interface Comparison {
  call: string;
  product: Measured;
  raw: Measured;
}

async function joinAndGetMeetings(): Promise<Comparison[]> {
  progress('starting the product (EVENTSTORE=memory) and 3 simulated nodes …');
  const product = await startBenchProduct('memory');
  try {
    const meetingIDs = await product.createMeetings('room', MEETINGS);
    progress(`${MEETINGS} meetings created`);
    const raw = await startRawBbbServer(product.rawData(meetingIDs));
    try {
      const getMeetings = [product.path('getMeetings', [])];
      const joins = meetingIDs.flatMap((meetingID) =>
        Array.from({ length: USERS_PER_MEETING }, (_, u) => product.path('join', [['fullName', `Participant ${u} of ${meetingID}`], ['meetingID', meetingID], ['role', u === 0 ? 'MODERATOR' : 'VIEWER']])),
      );
      // getMeetings first, so both list the same meetings without participants (joins add them to the product's).
      const comparisons: Comparison[] = [];
      for (const [call, paths, status] of [['getMeetings', getMeetings, 200], ['join', joins, 302]] as const) {
        const productResult = await measure(`${call} product`, product.origin, paths, status);
        const rawResult = await measure(`${call} raw node:http`, raw.origin, paths, status);
        comparisons.push({ call, product: productResult, raw: rawResult });
      }
      return comparisons;
    } finally {
      await raw.close();
    }
  } finally {
    await product.stop();
  }
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
console.log(`wrk -t1 -c${CONNECTIONS}, ${SECONDS} s per phase (after 2 s warm-up), ${MEETINGS} meetings on 3 simulated nodes, loopback`);
const comparisons = await joinAndGetMeetings();
const memoryCreates = await createLatency('memory', 'EVENTSTORE=memory');
const postgresCreates = process.env.BENCH_POSTGRES === '0' ? undefined : await withFreshDatabase((url) => createLatency(url, 'EVENTSTORE=postgres'));

console.log('\nthroughput and latency, product vs raw node:http (same checksum + lookup + answer)');
for (const { call, product, raw } of comparisons) {
  const ratio = product.perSecond / raw.perSecond;
  const verdict = ratio >= GOAL.ratio && product.p99Ms <= GOAL.p99Ms ? 'meets' : 'MISSES';
  console.log(`  ${call.padEnd(12)} product ${fmt(product)}`);
  console.log(`  ${''.padEnd(12)} raw     ${fmt(raw)}`);
  console.log(`  ${''.padEnd(12)} ratio ${ratio.toFixed(2)} → ${verdict} the goal (≥ ${GOAL.ratio} of raw, p99 ≤ ${GOAL.p99Ms} ms)`);
  console.log(`  ${''.padEnd(12)} CPU per request: product ${product.cpuUsPerRequest.toFixed(1)} µs, raw ${raw.cpuUsPerRequest.toFixed(1)} µs (raw/product ${(raw.cpuUsPerRequest / product.cpuUsPerRequest).toFixed(2)})`);
}
console.log('\ncreate latency (placement, node create, events appended, read model caught up)');
for (const result of [...memoryCreates, ...(postgresCreates ?? [])]) console.log(`  ${fmt(result)}`);
console.log(`  memory:   1 conn p95 ${memoryCreates[0]!.p95Ms.toFixed(2)} ms, 16 conn p95 ${memoryCreates[1]!.p95Ms.toFixed(2)} ms`);
if (postgresCreates) console.log(`  postgres: 1 conn p95 ${postgresCreates[0]!.p95Ms.toFixed(2)} ms, 16 conn p95 ${postgresCreates[1]!.p95Ms.toFixed(2)} ms`);
