import type { Pool } from 'pg';
import { quoteIdent } from '../../postgres/sqlNames.js';
import { PostgresBatchCheckpointTarget } from './postgresBatchTarget.js';

export { CheckpointMovedError } from './postgresBatchTarget.js';

export interface SqlStatement {
  text: string;
  values?: unknown[];
}

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

/**
 * A read model in Postgres tables with its checkpoint in `<schema>.checkpoints`, changed in one transaction:
 * lock the checkpoint row, skip entries at or before it, run the statements, then
 * `UPDATE … WHERE position = $old`. Effects are exactly-once even with two runners. It is the batch target
 * whose applier runs each op's statements in order.
 */
export class PostgresCheckpointTarget<Op> extends PostgresBatchCheckpointTarget<Op> {
  constructor(pool: Pool, schema: string, name: string, toStatements: (ops: Op[]) => SqlStatement[]) {
    super(pool, schema, name, async (client, ops) => {
      for (const statement of toStatements(ops)) await client.query(statement.text, statement.values);
    });
  }
}
