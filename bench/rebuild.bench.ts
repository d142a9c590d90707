/**
 * Rebuild of every read model (Postgres statistics, Redis node and meeting lists) from a generated log on the
 * PostgreSQL event store. `npm run bench:rebuild`; BENCH_EVENTS (default 1,000,000), DATABASE_URL, REDIS_URL,
 * BENCH_MODELS (a comma-separated subset), BENCH_CPU_PROFILE (a file: a CPU profile of the timed rebuild only).
 * The log goes into a fresh database beside DATABASE_URL's, dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { SingleBar, Presets } from 'cli-progress';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.js';
import type { NewEvent } from '../src/eventstore/port.js';
import { silentLogger } from '../src/logging.js';
import { prepareStats } from '../src/projections/stats/statsGenerations.js';
import { REDIS_READ_MODELS } from '../src/rebuild/redisReadModels.js';
import { modelKeys } from '../src/rebuild/redisSwap.js';
import { rebuild, rebuildPrefixOf, REBUILDABLE } from '../src/rebuild/rebuild.js';
import { generateTraffic } from './trafficGenerator.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const tag = randomUUID().replaceAll('-', '').slice(0, 10);
const database = `bench_rebuild_${tag}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const benchUrl = Object.assign(new URL(DATABASE_URL), { pathname: `/${database}` }).href;
const pool = new pg.Pool({ connectionString: benchUrl, max: 6 });
const redis = new Redis(REDIS_URL);
const esSchema = 'public';
const base = 'bench_rebuild_stats';
const prefix = `bench:${tag}:`;
const store = await PostgresEventStore.open({ pool, schema: esSchema, logger: silentLogger });

try {
  // 1. the log, written straight into es_events (appending 1M events one stream batch at a time takes minutes)
  const load = new SingleBar({ format: 'load    [{bar}] {value}/{total} events', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  load.start(EVENTS, 0);
  await insertEvents(pool, esSchema, generateTraffic(EVENTS), (n) => load.update(n));
  load.stop();
  await pool.query(`ANALYZE "${esSchema}".es_events`);
  await prepareStats(pool, base);

  // 2. the rebuild, timed, with a progress bar and the heap sampled
  const bar = new SingleBar({ format: 'rebuild [{bar}] {value}/{total} events | {rate} events/s', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const profiler = process.env.BENCH_CPU_PROFILE ? await startProfiler() : undefined;
  const started = performance.now();
  bar.start(EVENTS, 0, { rate: 0 });
  const report = await rebuild({
    store, logger: silentLogger, models: process.env.BENCH_MODELS?.split(',') ?? [...REBUILDABLE], replace: true, pool, statsBase: base, redis, redisPrefix: prefix, maxBatch: 5000,
    onProgress: (n) => bar.update(Math.min(n, EVENTS), { rate: Math.round(n / ((performance.now() - started) / 1000)) }),
  });
  clearInterval(sampler);
  bar.stop();
  if (profiler) await writeFile(process.env.BENCH_CPU_PROFILE!, JSON.stringify(await profiler.stop()));
  const seconds = report.elapsedMs / 1000;
  console.log(`\nrebuilt ${report.built.map((b) => b.name).join(', ')} from ${EVENTS.toLocaleString('en')} events`);
  console.log(`projected events (sum over read models): ${report.events.toLocaleString('en')}`);
  console.log(`elapsed ${seconds.toFixed(1)} s · log events/s ${Math.round(EVENTS / seconds).toLocaleString('en')} · peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
  const { rows } = await pool.query(`SELECT count(*)::int AS meetings FROM "${base}".meetings`);
  console.log(`meetings in the analyst view: ${rows[0].meetings}`);
} finally {
  await store.close();
  for (const p of [prefix, rebuildPrefixOf(prefix)]) for (const m of REDIS_READ_MODELS) {
    const keys = await modelKeys(redis, m, p);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  }
  await pool.end();
  redis.disconnect();
  await admin.query(`DROP DATABASE ${database}`);
  await admin.end();
}

async function insertEvents(db: pg.Pool, schema: string, events: Iterable<{ streamId: string; revision: number; event: NewEvent }>, progress: (n: number) => void): Promise<void> {
  let batch: Array<{ streamId: string; revision: number; event: NewEvent }> = [];
  let done = 0;
  const flush = async () => {
    await db.query(
      `INSERT INTO "${schema}".es_events (stream_id, revision, event_id, type, data, metadata)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [batch.map((b) => b.streamId), batch.map((b) => b.revision), batch.map((b) => b.event.id), batch.map((b) => b.event.type),
        batch.map((b) => JSON.stringify(b.event.data)), batch.map((b) => JSON.stringify(b.event.metadata))],
    );
    done += batch.length;
    progress(done);
    batch = [];
  };
  for (const e of events) {
    batch.push(e);
    if (batch.length === 10_000) await flush();
  }
  if (batch.length > 0) await flush();
  await db.query(
    `INSERT INTO "${schema}".es_streams (stream_id, revision) SELECT stream_id, max(revision) FROM "${schema}".es_events GROUP BY stream_id`,
  );
}

async function startProfiler(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}
