import { EventStoreError } from '../errors.js';
import { decodePosition, encodeDecimalPosition } from '../position.js';
import type { EventMetadata, JsonValue, Position, RecordedEvent } from '../port.js';

/** The columns every event read selects (see eventColumns); bigint and xid8 arrive as text. */
export interface EventRow {
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  /** created_at in epoch milliseconds: a number is far cheaper to map than a timestamp text. */
  created_ms: number;
  xid: string;
  global_position: string;
}

/** The select list matching EventRow, for a table or subquery aliased `t`. */
export function eventColumns(t: string): string {
  return `${t}.stream_id, ${t}.revision::text AS revision, ${t}.event_id::text AS event_id, ${t}.type, ${t}.data,
  ${t}.metadata, (extract(epoch FROM ${t}.created_at) * 1000)::float8 AS created_ms, ${t}.transaction_id::text AS xid, ${t}.global_position::text AS global_position`;
}

/** Where a reader stands in the (transaction id, global position) order, as bind parameters. */
export interface LogCursor {
  xid: string;
  globalPosition: string;
}

/** Before every stored event: real transaction ids start at 3 and identities at 1. */
export const LOG_START: LogCursor = { xid: '0', globalPosition: '0' };

/** `xid` and `globalPosition` as Postgres prints them (plain decimal digits) or as bigints. */
export function toPosition(xid: string | bigint, globalPosition: string | bigint): Position {
  return encodeDecimalPosition('P', String(xid), String(globalPosition));
}

export function toCursor(position: Position | undefined): LogCursor {
  if (position === undefined) return LOG_START;
  const [xid, globalPosition] = decodePosition('P', position, 2) as [bigint, bigint];
  return { xid: xid.toString(), globalPosition: globalPosition.toString() };
}

/** A stored row the port cannot represent: readers stop at it instead of skipping it. */
export class CorruptStoredEventError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly revision: string,
    readonly position: Position,
    readonly problem: string,
  ) {
    super(
      'CORRUPT_STORED_EVENT',
      `stored event ${streamId}@${revision} (position ${position}) is not a valid event: ${problem}. ` +
        'Readers and subscriptions stop here rather than skip it; repair the row in es_events from a backup.',
    );
  }
}

const METADATA_STRINGS = ['actor', 'correlationId', 'causationId', 'at'] as const;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const position = toPosition(row.xid, row.global_position);
  const problem = rowProblem(row);
  if (problem) throw new CorruptStoredEventError(row.stream_id, row.revision, position, problem);
  return {
    id: row.event_id,
    type: row.type,
    data: row.data as JsonValue,
    metadata: row.metadata as EventMetadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position,
    recordedAt: new Date(row.created_ms),
  };
}

function rowProblem(row: EventRow): string | undefined {
  if (typeof row.type !== 'string' || row.type.length === 0 || row.type.startsWith('$')) {
    return `type ${JSON.stringify(row.type)} is empty or reserved`;
  }
  if (row.data === undefined) return 'data is missing';
  const m = row.metadata;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return `metadata is ${JSON.stringify(m)}, not an object`;
  const fields = m as Record<string, unknown>;
  for (const key of METADATA_STRINGS) {
    if (typeof fields[key] !== 'string' || fields[key] === '') return `metadata.${key} is missing or not a string`;
  }
  if (!Number.isInteger(fields.schemaVersion)) return 'metadata.schemaVersion is missing or not an integer';
  if (!Number.isFinite(row.created_ms)) return 'created_at is not a timestamp';
  return undefined;
}
