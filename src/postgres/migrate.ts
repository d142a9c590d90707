import type pg from 'pg';
import { quoteIdent } from './sqlNames.js';

/** One step of a schema's history. Never edit a released one: add the next number. */
export interface Migration {
  version: number;
  name: string;
  /** DDL with the target schema already spliced in (identifiers cannot be bound). */
  sql(schema: string): string;
}

/**
 * Applies the migrations `schema` lacks, in order, in one transaction under an advisory lock, recording each
 * in `<schema>.schema_migrations`. Safe from several processes at once; never guesses a schema from the code.
 * @returns the versions applied now
 */
export async function applyMigrations(pool: pg.Pool, schema: string, migrations: readonly Migration[]): Promise<number[]> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`bbb-ledger:migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(schema));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
