import type pg from 'pg';
import { IdempotencyConflictError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import type { AppendResult, ExpectedRevision, NewEvent } from '../port.js';
import { inTransaction, query } from './pgClient.js';
import { isUniqueViolation, translatePgError } from './pgErrors.js';
import { toPosition } from './rowMapping.js';

/**
 * The whole append in one round trip: lock (or create) the streams row, enforce the expected revision,
 * move the revision and insert the batch. A failed check returns an outcome instead of raising, so the
 * caller can tell an idempotent retry from a real conflict without parsing error text. Event rows are
 * inserted in batch order so global positions follow revisions within the transaction.
 */
export function appendFunctionDdl(s: string): string {
  return `
CREATE OR REPLACE FUNCTION "${s}".es_append(
  p_stream_id text, p_expected text, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
) RETURNS TABLE (o_outcome text, o_revision bigint, o_xid text, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  n bigint := cardinality(p_ids);
  s_revision bigint;
  s_truncate bigint;
  s_tombstoned boolean;
  live_revision bigint;
  base bigint;
BEGIN
  SELECT s.revision, s.truncate_before, s.tombstoned INTO s_revision, s_truncate, s_tombstoned
    FROM "${s}".es_streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  IF NOT FOUND THEN
    IF p_expected NOT IN ('no_stream', 'any') THEN
      RETURN QUERY SELECT 'wrong_expected'::text, NULL::bigint, NULL::text, NULL::bigint;
      RETURN;
    END IF;
    INSERT INTO "${s}".es_streams (stream_id, revision) VALUES (p_stream_id, n - 1) ON CONFLICT (stream_id) DO NOTHING;
    IF FOUND THEN
      base := 0;
    ELSE
      -- created by a concurrent append that has committed since our first look
      SELECT s.revision, s.truncate_before, s.tombstoned INTO s_revision, s_truncate, s_tombstoned
        FROM "${s}".es_streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    END IF;
  END IF;
  IF base IS NULL THEN
    IF s_tombstoned THEN
      RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::text, NULL::bigint;
      RETURN;
    END IF;
    live_revision := CASE WHEN s_revision < s_truncate THEN NULL ELSE s_revision END;
    IF NOT (p_expected = 'any'
        OR (p_expected = 'no_stream' AND live_revision IS NULL)
        OR (p_expected = 'stream_exists' AND live_revision IS NOT NULL)
        OR (p_expected ~ '^[0-9]+$' AND live_revision = p_expected::bigint)) THEN
      RETURN QUERY SELECT 'wrong_expected'::text, live_revision, NULL::text, NULL::bigint;
      RETURN;
    END IF;
    base := s_revision + 1;
    UPDATE "${s}".es_streams s SET revision = s_revision + n, updated_at = now() WHERE s.stream_id = p_stream_id;
  END IF;
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO "${s}".es_events (stream_id, revision, event_id, type, data, metadata)
      SELECT p_stream_id, base + x.ord - 1, x.id, x.type, x.data, x.metadata
        FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS x(id, type, data, metadata, ord)
        ORDER BY x.ord
      RETURNING global_position
    )
    SELECT 'ok'::text, base + n - 1, pg_current_xact_id()::text, max(i.global_position) FROM inserted i;
END
$fn$;
`;
}

interface OutcomeRow {
  o_outcome: 'ok' | 'deleted' | 'wrong_expected';
  o_revision: string | null;
  o_xid: string | null;
  o_position: string | null;
}

export interface AppendTarget {
  pool: pg.Pool;
  schema: string;
  /** Test seam: runs inside the append transaction, after the insert and before COMMIT. */
  beforeCommit?: ((streamId: string) => Promise<void>) | undefined;
}

/** @throws the port's typed errors; unrecognised driver errors (lost connection) unchanged. */
export async function appendToStream(
  target: AppendTarget,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    let outcome: OutcomeRow;
    try {
      outcome = await runAppend(target, streamId, events, expected);
    } catch (error) {
      if (!isUniqueViolation(error, 'es_events_stream_event_id')) throw translatePgError(error, streamId);
      const replay = await findReplay(target, streamId, events);
      // Nothing stored after all: a concurrent append of the same ids rolled back; try once more.
      if (replay === undefined && attempt < 3) continue;
      if (replay === undefined) throw error;
      return replay;
    }
    if (outcome.o_outcome === 'ok') {
      return { nextExpectedRevision: BigInt(outcome.o_revision!), position: toPosition(outcome.o_xid!, outcome.o_position!) };
    }
    if (outcome.o_outcome === 'deleted') throw new StreamDeletedError(streamId);
    const replay = await findReplay(target, streamId, events);
    if (replay) return replay;
    const actual = outcome.o_revision === null ? 'no_stream' : BigInt(outcome.o_revision);
    throw new WrongExpectedVersionError(streamId, String(expected), actual);
  }
}

async function runAppend(
  target: AppendTarget,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<OutcomeRow> {
  const text = `SELECT o_outcome, o_revision::text AS o_revision, o_xid, o_position::text AS o_position
    FROM "${target.schema}".es_append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`;
  const values = [
    streamId,
    typeof expected === 'bigint' ? expected.toString() : expected,
    events.map((e) => e.id),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(e.metadata)),
  ];
  const { beforeCommit } = target;
  if (!beforeCommit) return (await query<OutcomeRow>(target.pool, text, values)).rows[0]!;
  return inTransaction(target.pool, async (client) => {
    const row = (await client.query<OutcomeRow>(text, values)).rows[0]!;
    await beforeCommit(streamId);
    return row;
  });
}

interface StoredIdRow {
  event_id: string;
  revision: string;
  xid: string;
  global_position: string;
}

/** The same ids sent again: the first append's result. Some of them stored: neither retry nor new batch. */
async function findReplay(
  target: AppendTarget,
  streamId: string,
  events: readonly NewEvent[],
): Promise<AppendResult | undefined> {
  const { rows } = await query<StoredIdRow>(
    target.pool,
    `SELECT event_id::text AS event_id, revision::text AS revision, transaction_id::text AS xid,
            global_position::text AS global_position
       FROM "${target.schema}".es_events WHERE stream_id = $1 AND event_id = ANY($2::uuid[])`,
    [streamId, events.map((e) => e.id)],
  );
  if (rows.length === 0) return undefined;
  if (rows.length < events.length) throw new IdempotencyConflictError(streamId);
  const last = rows.find((r) => r.event_id === events[events.length - 1]!.id.toLowerCase())!;
  return { nextExpectedRevision: BigInt(last.revision), position: toPosition(last.xid, last.global_position) };
}
