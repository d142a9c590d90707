import t, { type Test } from 'tap';
import pg from 'pg';
import { applyMigrations } from '../../../src/postgres/migrate.js';
import { digestTables } from '../../../src/postgres/tableDigest.js';
import type { ProjectedEntry } from '../../../src/projections/projection.js';
import { STATS_MIGRATIONS, STATS_TABLES } from '../../../src/projections/stats/statsMigrations.js';
import { projectStats, type StatsOp } from '../../../src/projections/stats/statsOps.js';
import { statsTarget } from '../../../src/projections/stats/statsTarget.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../../eventstore/postgresTestDb.js';
import { smallDay } from './scenario.js';

const pool = new pg.Pool({ connectionString: DATABASE_URL });
t.teardown(() => pool.end());

async function freshSchema(t: Test): Promise<string> {
  const schema = uniqueSchema('stats');
  t.teardown(() => dropSchema(pool, schema));
  await applyMigrations(pool, schema, STATS_MIGRATIONS);
  return schema;
}

const entries = (): ProjectedEntry<StatsOp>[] => smallDay().events.map((e) => ({ position: e.position, ops: projectStats(e) }));

async function commitInBatches(schema: string, size: number): Promise<void> {
  const target = statsTarget(pool, schema);
  const all = entries();
  for (let i = 0; i < all.length; i += size) {
    const batch = all.slice(i, i + size);
    await target.commit({ entries: batch, checkpoint: batch[batch.length - 1]!.position });
  }
}

t.test('the small day in one batch or one event at a time / gives the same tables', async (t) => {
  const whole = await freshSchema(t);
  const single = await freshSchema(t);
  await commitInBatches(whole, 1000);
  await commitInBatches(single, 1);
  t.same(await digestTables(pool, single, STATS_TABLES), await digestTables(pool, whole, STATS_TABLES));
  const { rows } = await pool.query(`SELECT tenant, day::text, meetings, meeting_ms::int, peak_meetings FROM "${whole}".tenant_days ORDER BY day`);
  t.same(rows, [
    { tenant: 'acme', day: '2026-11-23', meetings: 3, meeting_ms: 52_200_000, peak_meetings: 2 },
    { tenant: 'acme', day: '2026-11-24', meetings: 0, meeting_ms: 3_600_000, peak_meetings: 0 },
  ]);
});

t.test('a batch committed twice / is applied once', async (t) => {
  const schema = await freshSchema(t);
  await commitInBatches(schema, 5);
  const before = await digestTables(pool, schema, STATS_TABLES);
  await commitInBatches(schema, 5);
  await commitInBatches(schema, 1000);
  t.same(await digestTables(pool, schema, STATS_TABLES), before);
  t.equal((await statsTarget(pool, schema).loadCheckpoint())?.endsWith('18'), true);
});

t.test('every event type, each applied twice / leaves the tables of one application', async (t) => {
  const once = await freshSchema(t);
  const twice = await freshSchema(t);
  await commitInBatches(once, 3);
  const target = statsTarget(pool, twice);
  for (const entry of entries()) {
    await target.commit({ entries: [entry], checkpoint: entry.position });
    await target.commit({ entries: [entry], checkpoint: entry.position });
  }
  t.same(await digestTables(pool, twice, STATS_TABLES), await digestTables(pool, once, STATS_TABLES));
});

t.test('migrations / apply once, recorded in schema_migrations', async (t) => {
  const schema = await freshSchema(t);
  t.same(await applyMigrations(pool, schema, STATS_MIGRATIONS), []);
  const { rows } = await pool.query(`SELECT version, name FROM "${schema}".schema_migrations`);
  t.same(rows, [{ version: 1, name: 'stats tables' }]);
});

t.test('state kept in memory across batches (a rebuild) / gives the tables of loading it per batch, also when another writer commits between', async (t) => {
  const loading = await freshSchema(t);
  const kept = await freshSchema(t);
  const interleaved = await freshSchema(t);
  await commitInBatches(loading, 2);
  const all = entries();
  const keeping = statsTarget(pool, kept, { keepStateInMemory: true });
  for (let i = 0; i < all.length; i += 2) {
    const batch = all.slice(i, i + 2);
    await keeping.commit({ entries: batch, checkpoint: batch[batch.length - 1]!.position });
  }
  t.same(await digestTables(pool, kept, STATS_TABLES), await digestTables(pool, loading, STATS_TABLES));

  // A second runner (the live service after a swap) commits some batches: the kept state is stale then.
  const rebuildRunner = statsTarget(pool, interleaved, { keepStateInMemory: true });
  const liveRunner = statsTarget(pool, interleaved);
  for (let i = 0; i < all.length; i += 2) {
    const batch = all.slice(i, i + 2);
    const target = i % 6 === 4 ? liveRunner : rebuildRunner;
    await target.commit({ entries: batch, checkpoint: batch[batch.length - 1]!.position });
  }
  t.same(await digestTables(pool, interleaved, STATS_TABLES), await digestTables(pool, loading, STATS_TABLES));
});
