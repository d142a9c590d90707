import type pg from 'pg';
import { applyMigrations, type Migration } from '../../postgres/migrate.js';
import { checkSqlName, quoteIdent } from '../../postgres/sqlNames.js';
import { STATS_MIGRATIONS } from './statsMigrations.js';
import { analystViewsDdl } from './analystViews.js';

/**
 * The statistics live in generation schemas `<base>_g<N>`; the control schema `<base>` names the active one
 * and holds the views analysts query. A rebuild fills the next generation beside the live one, then
 * `activate` swaps views and pointer in one transaction: readers never see a half-built model.
 */
const CONTROL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'active generation pointer',
    sql: (schema) => `CREATE TABLE ${quoteIdent(schema)}.active_generation (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      generation integer NOT NULL,
      schema_name text NOT NULL,
      activated_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];

export interface Generation {
  generation: number;
  schema: string;
}

export const generationSchema = (base: string, generation: number): string => checkSqlName(`${base}_g${generation}`, 'stats schema');

export async function activeGeneration(pool: pg.Pool, base: string): Promise<Generation | undefined> {
  const { rows } = await pool.query<{ generation: number; schema_name: string }>(
    `SELECT generation, schema_name FROM ${quoteIdent(base)}.active_generation WHERE singleton`,
  );
  const row = rows[0];
  return row ? { generation: row.generation, schema: row.schema_name } : undefined;
}

/** At start: the control schema and the active generation exist and are migrated; the first start makes g1. */
export async function prepareStats(pool: pg.Pool, base: string): Promise<Generation> {
  checkSqlName(base, 'STATS_SCHEMA');
  await applyMigrations(pool, base, CONTROL_MIGRATIONS);
  const active = await activeGeneration(pool, base);
  if (active) {
    await applyMigrations(pool, active.schema, STATS_MIGRATIONS);
    return active;
  }
  const first = { generation: 1, schema: generationSchema(base, 1) };
  await applyMigrations(pool, first.schema, STATS_MIGRATIONS);
  await activate(pool, base, first);
  return (await activeGeneration(pool, base)) ?? first;
}

/** Points views and pointer at `next` in one transaction; concurrent activations serialise on the row. */
export async function activate(pool: pg.Pool, base: string, next: Generation): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`bbb-ledger:stats-activate:${base}`]);
    await client.query(analystViewsDdl(base, next.schema));
    await client.query(
      `INSERT INTO ${quoteIdent(base)}.active_generation (generation, schema_name) VALUES ($1, $2)
       ON CONFLICT (singleton) DO UPDATE SET generation = EXCLUDED.generation, schema_name = EXCLUDED.schema_name, activated_at = now()`,
      [next.generation, next.schema],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Whether a schema exists and holds any row in its statistics tables or checkpoints. */
export async function schemaHasData(pool: pg.Pool, schema: string): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'checkpoints'`,
    [schema],
  );
  if ((rows[0]?.n ?? 0) === 0) {
    const exists = await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return (exists.rowCount ?? 0) > 0 && (await anyTable(pool, schema));
  }
  const { rows: data } = await pool.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.checkpoints) OR EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.meeting_streams)
        OR EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.nodes) OR EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.tenants) AS any`,
  );
  return data[0]?.any === true;
}

async function anyTable(pool: pg.Pool, schema: string): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
  return (rows[0]?.n ?? 0) > 0;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(checkSqlName(schema, 'stats schema'))} CASCADE`);
}
