import type pg from 'pg';
import { StreamDeletedError, StreamNotFoundError } from '../errors.js';
import { checkExpectedRevision } from '../expectedRevision.js';
import type { ExpectedRevision } from '../port.js';
import { inTransaction } from './pgClient.js';

interface StreamRow {
  revision: string;
  truncate_before: string;
  tombstoned: boolean;
}

async function lockStream(client: pg.PoolClient, schema: string, streamId: string): Promise<StreamRow | undefined> {
  const { rows } = await client.query<StreamRow>(
    `SELECT revision::text AS revision, truncate_before::text AS truncate_before, tombstoned
       FROM "${schema}".es_streams WHERE stream_id = $1 FOR UPDATE`,
    [streamId],
  );
  return rows[0];
}

function liveRevision(row: StreamRow): bigint | 'no_stream' {
  const revision = BigInt(row.revision);
  return revision < BigInt(row.truncate_before) ? 'no_stream' : revision;
}

/** Soft delete: events stay in $all; the stream reads as missing until the next append re-opens it. */
export async function softDeleteStream(
  pool: pg.Pool,
  schema: string,
  streamId: string,
  expected: ExpectedRevision,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const row = await lockStream(client, schema, streamId);
    if (row?.tombstoned) throw new StreamDeletedError(streamId);
    if (!row || liveRevision(row) === 'no_stream') throw new StreamNotFoundError(streamId);
    checkExpectedRevision(streamId, expected, liveRevision(row));
    await client.query(
      `UPDATE "${schema}".es_streams SET truncate_before = revision + 1, updated_at = now() WHERE stream_id = $1`,
      [streamId],
    );
  });
}

/** Hard delete: the name is refused for ever, even if the stream never existed. */
export async function tombstoneStream(
  pool: pg.Pool,
  schema: string,
  streamId: string,
  expected: ExpectedRevision,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const row = await lockStream(client, schema, streamId);
    if (row?.tombstoned) throw new StreamDeletedError(streamId);
    checkExpectedRevision(streamId, expected, row ? liveRevision(row) : 'no_stream');
    await client.query(
      `INSERT INTO "${schema}".es_streams (stream_id, revision, tombstoned) VALUES ($1, -1, true)
       ON CONFLICT (stream_id) DO UPDATE SET tombstoned = true, updated_at = now()`,
      [streamId],
    );
  });
}
