import t from 'tap';
import pg from 'pg';
import { Redis } from 'ioredis';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { Position } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { digestTables } from '../../src/postgres/tableDigest.js';
import { activeGeneration } from '../../src/projections/stats/statsGenerations.js';
import { STATS_TABLES } from '../../src/projections/stats/statsMigrations.js';
import { StatsService } from '../../src/projections/stats/statsService.js';
import { logIdentityOf } from '../../src/projections/logIdentity.js';
import { digestRedisKeys } from '../../src/rebuild/redisDigest.js';
import { REDIS_READ_MODELS } from '../../src/rebuild/redisReadModels.js';
import { modelKeys } from '../../src/rebuild/redisSwap.js';
import { rebuild, rebuildPrefixOf, RebuildRefusedError, REBUILDABLE } from '../../src/rebuild/rebuild.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../eventstore/postgresTestDb.js';
import { scriptedDay } from './scriptedDay.js';
import { eventually } from '../support/eventually.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const pool = new pg.Pool({ connectionString: DATABASE_URL });
const redis = new Redis(REDIS_URL);
const esSchema = uniqueSchema('rebuild_es');
const base = uniqueSchema('rebuild_stats');
const livePrefix = `test:${base}:`;
const store = await PostgresEventStore.open({ pool, schema: esSchema, logger: silentLogger });
const stats = new StatsService({ pool, store, logger: silentLogger, base, watchIntervalMs: 50 });
const live = new AbortController();

t.teardown(async () => {
  live.abort();
  await stats.stop();
  await store.close();
  for (const prefix of [livePrefix, rebuildPrefixOf(livePrefix)]) {
    for (const model of REDIS_READ_MODELS) {
      const keys = await modelKeys(redis, model, prefix);
      if (keys.length > 0) await redis.del(...keys);
    }
  }
  for (const schema of [esSchema, base, `${base}_g1`, `${base}_g2`, `${base}_g3`]) await dropSchema(pool, schema);
  await pool.end();
  redis.disconnect();
});

const statsDigest = (schema: string) => digestTables(pool, schema, STATS_TABLES);
async function redisDigests(prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const model of REDIS_READ_MODELS) out[model.name] = await digestRedisKeys(redis, prefix, await modelKeys(redis, model, prefix));
  return out;
}

t.test('after a scripted day of traffic / a rebuild is byte-identical to the live read models, then swaps in', async (t) => {
  // 1. a live system: statistics and Redis read models following the log while the day happens
  await stats.start();
  const liveRunners = REDIS_READ_MODELS.map((m) => m.start(redis, livePrefix, { store, logger: silentLogger, signal: live.signal, maxBatch: 256, onCommitted: () => {}, log: logIdentityOf(store) }));
  await scriptedDay(store);
  let last: Position | undefined;
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) last = e.position;
  if (!last) throw new Error('no events');
  await stats.waitFor(last, { timeoutMs: 20_000 });
  await Promise.all(liveRunners.map((r) => r.waitFor(last!, { timeoutMs: 20_000 })));
  const liveStats = await statsDigest(`${base}_g1`);
  const liveRedis = await redisDigests(livePrefix);
  t.match(liveStats.meetings, /^3\d:/, 'the day has its meetings');

  // 2. rebuild everything beside the live models, without swapping, and compare
  let progress = 0;
  const report = await rebuild({
    store, logger: silentLogger, models: [...REBUILDABLE], replace: false, swap: false, pool, statsBase: base, redis, redisPrefix: livePrefix,
    onProgress: (n) => (progress = n),
  });
  t.ok(progress > 0 && report.logEvents === progress, 'progress was reported in events of the log');
  t.ok(report.events >= report.logEvents, 'projected events are summed over the models');
  t.same(await statsDigest(`${base}_g2`), liveStats, 'Postgres tables identical');
  t.same(await redisDigests(rebuildPrefixOf(livePrefix)), liveRedis, 'Redis keys identical');

  // 3. the leftover generation is not overwritten without --replace
  await t.rejects(
    rebuild({ store, logger: silentLogger, models: ['stats'], replace: false, pool, statsBase: base }),
    RebuildRefusedError,
  );
  await t.rejects(
    rebuild({ store, logger: silentLogger, models: ['nodeList'], replace: false, redis, redisPrefix: livePrefix }),
    /not empty.*--replace/,
  );

  // 4. replace and swap: the live service follows the new generation without a restart
  await rebuild({ store, logger: silentLogger, models: [...REBUILDABLE], replace: true, pool, statsBase: base, redis, redisPrefix: livePrefix });
  t.same(await activeGeneration(pool, base), { generation: 2, schema: `${base}_g2` });
  await eventually('the live stats to follow generation 2', () => stats.generation?.generation === 2);
  t.same(await statsDigest(`${base}_g2`), liveStats);
  t.same(await redisDigests(livePrefix), liveRedis, 'the swapped-in Redis keys are the same model');
  const ours = await logIdentityOf(store).current();
  t.same(await redis.mget(REDIS_READ_MODELS.map((m) => `${livePrefix}${m.logSuffix}`)), REDIS_READ_MODELS.map(() => ours), 'each model says which log it was built from');
  t.same(await modelKeys(redis, REDIS_READ_MODELS[0]!, rebuildPrefixOf(livePrefix)), [], 'nothing left beside');
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${base}".tenant_daily_usage`);
  t.ok(rows[0].n > 0, 'the analyst views read the new generation');
});
