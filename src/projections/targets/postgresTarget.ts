import type { Pool, PoolClient } from 'pg';
import type { Position } from '../../eventstore/port.js';
import { isAfter, type CheckpointTarget, type ProjectedBatch } from '../projection.js';

export interface SqlStatement {
  text: string;
  values?: unknown[];
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Explicit, idempotent DDL: run by a migration step or a test, never implicitly by the target. */
export async function createCheckpointsTable(pool: Pool, schema: string): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.checkpoints (
       name text PRIMARY KEY,
       position text NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
}

/** Another writer moved the checkpoint between our read and our update: the transaction was rolled back. */
export class CheckpointMovedError extends Error {
  constructor(name: string) {
    super(`checkpoint ${name} moved during commit; nothing was applied`);
    this.name = new.target.name;
  }
}

/**
 * A read model in Postgres tables with its checkpoint in `<schema>.checkpoints`, changed in one transaction:
 * lock the checkpoint row, skip entries at or before it, run the statements, then
 * `UPDATE … WHERE position = $old`. Effects are exactly-once even with two runners.
 */
export class PostgresCheckpointTarget<Op> implements CheckpointTarget<Op> {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly name: string,
    private readonly toStatements: (ops: Op[]) => SqlStatement[],
  ) {
    this.table = `${quoteIdent(schema)}.checkpoints`;
  }

  async loadCheckpoint(): Promise<Position | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1`, [this.name]);
    const stored = rows[0]?.position;
    return stored ? (stored as Position) : undefined;
  }

  async commit(batch: ProjectedBatch<Op>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const stored = await this.lockCheckpoint(client);
      if (!isAfter(batch.checkpoint, stored)) {
        await client.query('ROLLBACK');
        return;
      }
      for (const entry of batch.entries) {
        if (!isAfter(entry.position, stored)) continue;
        for (const statement of this.toStatements(entry.ops)) await client.query(statement.text, statement.values);
      }
      const updated = await client.query(`UPDATE ${this.table} SET position = $2, updated_at = now() WHERE name = $1 AND position = $3`, [
        this.name,
        batch.checkpoint,
        stored ?? '',
      ]);
      if (updated.rowCount !== 1) throw new CheckpointMovedError(this.name);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** '' stands for "no checkpoint yet": it sorts before every position. */
  private async lockCheckpoint(client: PoolClient): Promise<Position | undefined> {
    await client.query(`INSERT INTO ${this.table} (name, position) VALUES ($1, '') ON CONFLICT (name) DO NOTHING`, [this.name]);
    const { rows } = await client.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1 FOR UPDATE`, [this.name]);
    const stored = rows[0]?.position;
    return stored ? (stored as Position) : undefined;
  }
}
