import type { Pool, PoolClient } from 'pg';
import type { Position } from '../../eventstore/port.js';
import { quoteIdent } from '../../postgres/sqlNames.js';
import { isAfter, type CheckpointTarget, type ProjectedBatch } from '../projection.js';

/** Another writer moved the checkpoint between our read and our update: the transaction was rolled back. */
export class CheckpointMovedError extends Error {
  constructor(name: string) {
    super(`checkpoint ${name} moved during commit; nothing was applied`);
    this.name = new.target.name;
  }
}

/**
 * Applies the ops of a whole batch, in order, inside the target's transaction. `checkpoints` says where the
 * stored checkpoint was and where it will be; a returned function runs once the transaction committed.
 */
export type BatchApplier<Op> = (
  client: PoolClient,
  ops: Op[],
  checkpoints: { stored: Position | undefined; next: Position },
) => Promise<void | (() => void)>;

/**
 * Like PostgresCheckpointTarget (same `<schema>.checkpoints` row, same exactly-once commit), but the applier
 * sees every fresh op of the batch at once, so it can read what it needs once and write set-based: a read
 * model whose rows depend on earlier events (durations, running totals) stays fast on replay.
 */
export class PostgresBatchCheckpointTarget<Op> implements CheckpointTarget<Op> {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly name: string,
    private readonly apply: BatchApplier<Op>,
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
      await client.query(`INSERT INTO ${this.table} (name, position) VALUES ($1, '') ON CONFLICT (name) DO NOTHING`, [this.name]);
      const { rows } = await client.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1 FOR UPDATE`, [this.name]);
      const stored = rows[0]?.position ? (rows[0].position as Position) : undefined;
      if (!isAfter(batch.checkpoint, stored)) {
        await client.query('ROLLBACK');
        return;
      }
      const ops = batch.entries.filter((e) => isAfter(e.position, stored)).flatMap((e) => e.ops);
      const afterCommit = ops.length > 0 ? await this.apply(client, ops, { stored, next: batch.checkpoint }) : undefined;
      const updated = await client.query(`UPDATE ${this.table} SET position = $2, updated_at = now() WHERE name = $1 AND position = $3`, [
        this.name,
        batch.checkpoint,
        stored ?? '',
      ]);
      if (updated.rowCount !== 1) throw new CheckpointMovedError(this.name);
      await client.query('COMMIT');
      afterCommit?.();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
