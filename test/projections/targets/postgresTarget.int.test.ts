import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import pg from 'pg';
import { silentLogger } from '../../../src/logging.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, Position, RecordedEvent } from '../../../src/eventstore/port.js';
import { startProjection } from '../../../src/projections/runner.js';
import { createCheckpointsTable, PostgresCheckpointTarget, type SqlStatement } from '../../../src/projections/targets/postgresTarget.js';
import { newEvent } from '../../eventstore/contract/fixtures.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema only this test uses, with the checkpoints table and a tiny read model; dropped afterwards. */
async function schemaFor(t: Test): Promise<{ pool: pg.Pool; schema: string }> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  await createCheckpointsTable(pool, schema);
  await pool.query(`CREATE TABLE ${schema}.counts (stream text PRIMARY KEY, n integer NOT NULL)`);
  t.teardown(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });
  return { pool, schema };
}

/** `n = n + 1` is not idempotent: only the checkpoint keeps it exactly-once. */
const countProjection = { name: 'count', filter: { streamPrefixes: ['count-'] }, project: (e: RecordedEvent) => [e.streamId] };
const countStatements = (schema: string) => (streams: string[]): SqlStatement[] =>
  streams.map((stream) => ({
    text: `INSERT INTO ${schema}.counts (stream, n) VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET n = counts.n + 1`,
    values: [stream],
  }));

function run(t: Test, store: EventStore, target: PostgresCheckpointTarget<string>) {
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const runner = startProjection({ store, projection: countProjection, target, logger: silentLogger, signal: controller.signal });
  return { runner, stop: async () => (controller.abort(), runner.done) };
}

const counts = async (pool: pg.Pool, schema: string) =>
  Object.fromEntries((await pool.query<{ stream: string; n: number }>(`SELECT stream, n FROM ${schema}.counts ORDER BY stream`)).rows.map((r) => [r.stream, r.n]));

t.test('runner on Postgres: projects, stops, resumes from the checkpoint without duplicates', async (t) => {
  const { pool, schema } = await schemaFor(t);
  const store = new MemoryEventStore();
  const target = () => new PostgresCheckpointTarget(pool, schema, 'count', countStatements(schema));
  await store.append('count-a', [newEvent('E'), newEvent('E')]);
  await store.append('other-x', [newEvent('E')]);
  const first = run(t, store, target());
  await first.runner.caughtUp;
  t.same(await counts(pool, schema), { 'count-a': 2 });
  await first.stop();
  await store.append('count-a', [newEvent('E')]);
  const last = await store.append('count-b', [newEvent('E')]);
  const second = run(t, store, target());
  await second.runner.waitFor(last.position);
  t.same(await counts(pool, schema), { 'count-a': 3, 'count-b': 1 });
  const { rows } = await pool.query(`SELECT position FROM ${schema}.checkpoints WHERE name = 'count'`);
  t.equal(rows[0]?.position, last.position, 'checkpoint stored with the data');
});

t.test('runner on Postgres: two runners at once still count every event once', async (t) => {
  const { pool, schema } = await schemaFor(t);
  const store = new MemoryEventStore();
  for (let i = 0; i < 20; i++) await store.append(`count-${i % 3}`, [newEvent('E')]);
  const last = await store.append('count-0', [newEvent('E')]);
  const a = run(t, store, new PostgresCheckpointTarget(pool, schema, 'count', countStatements(schema)));
  const b = run(t, store, new PostgresCheckpointTarget(pool, schema, 'count', countStatements(schema)));
  await Promise.all([a.runner.waitFor(last.position), b.runner.waitFor(last.position)]);
  t.same(await counts(pool, schema), { 'count-0': 8, 'count-1': 7, 'count-2': 6 });
});

t.test('checkpoint target: skips entries at or before the stored checkpoint, in one transaction', async (t) => {
  const { pool, schema } = await schemaFor(t);
  const target = new PostgresCheckpointTarget(pool, schema, 'count', countStatements(schema));
  const p = (n: number) => `P:${String(n).padStart(20, '0')}` as Position;
  t.equal(await target.loadCheckpoint(), undefined);
  const batch = { entries: [{ position: p(1), ops: ['s'] }, { position: p(2), ops: ['s'] }], checkpoint: p(2) };
  await target.commit(batch);
  await target.commit(batch);
  t.same(await counts(pool, schema), { s: 2 });
  await target.commit({ entries: [{ position: p(2), ops: ['s'] }, { position: p(3), ops: ['s'] }], checkpoint: p(5) });
  t.same(await counts(pool, schema), { s: 3 });
  t.equal(await target.loadCheckpoint(), p(5));
});

t.test('checkpoint target: a failing statement rolls back the data and the checkpoint together', async (t) => {
  const { pool, schema } = await schemaFor(t);
  const statements = (ops: string[]): SqlStatement[] =>
    ops.map((op) => (op === 'boom' ? { text: 'SELECT 1/0' } : countStatements(schema)([op])[0]!));
  const target = new PostgresCheckpointTarget(pool, schema, 'count', statements);
  const p = (n: number) => `P:${String(n).padStart(20, '0')}` as Position;
  await t.rejects(target.commit({ entries: [{ position: p(1), ops: ['s'] }, { position: p(2), ops: ['boom'] }], checkpoint: p(2) }), /division by zero/);
  t.same(await counts(pool, schema), {});
  t.equal(await target.loadCheckpoint(), undefined);
});
