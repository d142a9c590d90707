import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type Position as EsdbPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { decodePosition, encodePosition } from '../position.js';
import type { EventMetadata, ExpectedRevision, JsonValue, NewEvent, Position, RecordedEvent } from '../port.js';

/** Pure translation between the port's shapes and the client's. */

export function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

export function encodeEsdbPosition(position: EsdbPosition): Position {
  return encodePosition('E', position.commit, position.prepare);
}

export function decodeEsdbPosition(position: Position): EsdbPosition {
  const [commit, prepare] = decodePosition('E', position, 2) as [bigint, bigint];
  return { commit, prepare };
}

export function samePosition(a: EsdbPosition, b: EsdbPosition): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}

/** Server-internal records ($metadata, $streamDeleted, $users, …): never handed to our readers. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client's JSONType omits top-level null/number/boolean, which it nevertheless serialises as JSON.
    data: event.data as JSONType,
    metadata: { ...event.metadata },
  });
}

/** undefined for a link without its target; throws for a server too old to report positions (< 22.6). */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  if (!event.position) {
    throw new Error(`EventStoreDB returned ${event.streamId}@${event.revision} without a position: the server must be 22.6 or later`);
  }
  return {
    id: event.id,
    type: event.type,
    data: event.isJson ? (event.data as JsonValue) : null,
    metadata: toEventMetadata(event.metadata, event.created),
    streamId: event.streamId,
    revision: event.revision,
    position: encodeEsdbPosition(event.position),
    recordedAt: event.created,
  };
}

/**
 * Our appends always carry full metadata. Events written by other tools on a shared server may not: they
 * get a recognisable placeholder (`actor: 'unknown'`, `schemaVersion: 0`, which validateAppend would refuse)
 * rather than failing a whole subscription.
 */
function toEventMetadata(value: unknown, created: Date): EventMetadata {
  if (isEventMetadata(value)) return value;
  return { actor: 'unknown', correlationId: '', causationId: '', at: created.toISOString(), schemaVersion: 0 };
}

function isEventMetadata(value: unknown): value is EventMetadata {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.actor === 'string' &&
    typeof m.correlationId === 'string' &&
    typeof m.causationId === 'string' &&
    typeof m.at === 'string' &&
    typeof m.schemaVersion === 'number'
  );
}
