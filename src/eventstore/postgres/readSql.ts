import type pg from 'pg';
import { StreamDeletedError, StreamNotFoundError } from '../errors.js';
import type { Position, RecordedEvent } from '../port.js';
import { eventColumns, toPosition, toRecordedEvent, type EventRow, type LogCursor } from './rowMapping.js';
import { query } from './pgClient.js';

/**
 * Reads of the global log follow the xid8 rule: order by (transaction id, global position) and only pass
 * rows whose transaction is below the snapshot's xmin, i.e. no transaction that could still commit an
 * earlier row is running. A position handed out is then never overtaken by a late commit.
 */

const MAX_BIGINT = '9223372036854775807';

type Nullable<T> = { [K in keyof T]: T[K] | null };

interface StreamPageRow extends Nullable<EventRow> {
  live: boolean;
  tombstoned: boolean;
}

export interface StreamPageQuery {
  backwards: boolean;
  /** Inclusive; undefined = the first live revision. */
  fromRevision: bigint | undefined;
  limit: number;
}

/**
 * One page of a stream, with the stream's state checked in the same statement. Rows come back unmapped so
 * a reader can hand out the valid events before a corrupt one.
 */
export async function readStreamPage(
  pool: pg.Pool,
  schema: string,
  streamId: string,
  q: StreamPageQuery,
): Promise<EventRow[]> {
  const range = q.backwards
    ? 'e.revision <= coalesce($2::bigint, s.truncate_before) ORDER BY e.revision DESC'
    : 'e.revision >= coalesce($2::bigint, 0) ORDER BY e.revision';
  const { rows } = await query<StreamPageRow>(
    pool,
    `SELECT s.revision >= s.truncate_before AS live, s.tombstoned, ${eventColumns('p')}
       FROM "${schema}".es_streams s
       LEFT JOIN LATERAL (
         SELECT e.* FROM "${schema}".es_events e
          WHERE e.stream_id = s.stream_id AND e.revision >= s.truncate_before AND ${range} LIMIT $3
       ) p ON true
      WHERE s.stream_id = $1`,
    [streamId, q.fromRevision?.toString() ?? null, q.limit],
  );
  const state = rows[0];
  if (state?.tombstoned) throw new StreamDeletedError(streamId);
  if (!state?.live) throw new StreamNotFoundError(streamId);
  return rows.flatMap((row) => (row.global_position === null ? [] : [row as EventRow]));
}

/**
 * Everything committed before this call is below the returned transaction id, once the transactions that
 * were running at the call have finished; `waitForHorizon` waits for that.
 */
export async function currentHorizon(pool: pg.Pool): Promise<{ horizon: string; settled: boolean }> {
  const { rows } = await query<{ horizon: string; settled: boolean }>(
    pool,
    `SELECT pg_snapshot_xmax(s)::text AS horizon, pg_snapshot_xmin(s) = pg_snapshot_xmax(s) AS settled
       FROM pg_current_snapshot() s`,
  );
  return rows[0]!;
}

export async function isHorizonSettled(pool: pg.Pool, horizon: string): Promise<boolean> {
  const { rows } = await query<{ settled: boolean }>(
    pool,
    'SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled',
    [horizon],
  );
  return rows[0]!.settled;
}

/** Up to `limit` events on one side of `cursor`, all from transactions below `horizon` (already settled). */
export async function readLogPage(
  pool: pg.Pool,
  schema: string,
  q: { cursor: LogCursor; horizon: string; backwards: boolean; limit: number },
): Promise<EventRow[]> {
  const [compare, order] = q.backwards ? ['<', 'DESC'] : ['>', 'ASC'];
  const { rows } = await query<EventRow>(
    pool,
    `SELECT ${eventColumns('e')} FROM "${schema}".es_events e
      WHERE e.transaction_id < $1::xid8 AND (e.transaction_id, e.global_position) ${compare} ($2::xid8, $3::bigint)
      ORDER BY e.transaction_id ${order}, e.global_position ${order} LIMIT $4`,
    [q.horizon, q.cursor.xid, q.cursor.globalPosition, q.limit],
  );
  return rows;
}

/** The position of the last event below `horizon`. */
export async function lastLogPosition(pool: pg.Pool, schema: string, horizon: string): Promise<Position | undefined> {
  const end = { xid: MAX_BIGINT, globalPosition: MAX_BIGINT };
  const [last] = await readLogPage(pool, schema, { cursor: end, horizon, backwards: true, limit: 1 });
  return last && toPosition(last.xid, last.global_position);
}

interface SubscriptionPageRow extends Nullable<EventRow> {
  held_back: boolean;
  horizon: string;
}

/**
 * The subscription read: one statement, so the xmin filter and the rows share a snapshot. `heldBack` says
 * that committed events exist above xmin, waiting for older transactions to end; they are all below
 * `horizon` (the snapshot's xmax). It looks only at the newest row, through the index: an EXISTS over
 * `transaction_id >= xmin` is planned as a full scan on a table without statistics.
 */
export async function readSubscriptionPage(
  pool: pg.Pool,
  schema: string,
  cursor: LogCursor,
  limit: number,
): Promise<{ events: RecordedEvent[]; heldBack: boolean; horizon: string }> {
  const { rows } = await query<SubscriptionPageRow>(
    pool,
    `SELECT h.held_back, h.horizon, ${eventColumns('p')}
       FROM (SELECT coalesce((SELECT transaction_id FROM "${schema}".es_events ORDER BY transaction_id DESC LIMIT 1)
                               >= pg_snapshot_xmin(pg_current_snapshot()), false) AS held_back,
                    pg_snapshot_xmax(pg_current_snapshot())::text AS horizon) h
       LEFT JOIN LATERAL (
         SELECT e.* FROM "${schema}".es_events e
          WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            AND (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
          ORDER BY e.transaction_id, e.global_position LIMIT $3
       ) p ON true`,
    [cursor.xid, cursor.globalPosition, limit],
  );
  return {
    heldBack: rows[0]!.held_back,
    horizon: rows[0]!.horizon,
    events: rows.flatMap((row) => (row.global_position === null ? [] : [toRecordedEvent(row as EventRow)])),
  };
}
