import type pg from 'pg';
import { quoteIdent } from './sqlNames.js';

/**
 * An md5 per table over its rows as Postgres prints them, sorted, so two schemas compare by content
 * whatever the physical order. Run both sides in one session setting (TimeZone prints timestamptz).
 */
export async function digestTables(pool: pg.Pool, schema: string, tables: readonly string[]): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await pool.query<{ digest: string | null; count: string }>(
      `SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) AS digest, count(*) AS count FROM ${quoteIdent(schema)}.${quoteIdent(table)} r`,
    );
    digests[table] = `${rows[0]?.count ?? 0}:${rows[0]?.digest ?? ''}`;
  }
  return digests;
}
