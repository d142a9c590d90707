import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { IdempotencyConflictError, StreamNotFoundError } from '../errors.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../port.js';
import { toRecordedEvent } from './esdbMapping.js';
import { translateEsdbError, type ErrorContext } from './translateError.js';

/**
 * How many of a stream's latest events are searched for a batch's ids before an `any`/`stream_exists`
 * append and after a WrongExpectedVersion. Retries come soon after the original write, so its events are
 * near the end; a wider window costs a longer read on every such append.
 */
export const REPLAY_WINDOW = 256;

/** Pull-based iteration over a client read: errors become the port's, an early exit cancels the gRPC call. */
export async function* recordedEvents(read: StreamingRead<ResolvedEvent>, context: ErrorContext): AsyncGenerator<RecordedEvent> {
  let drained = false;
  try {
    for await (const resolved of read) {
      const recorded = toRecordedEvent(resolved);
      if (recorded) yield recorded;
    }
    drained = true;
  } catch (error) {
    drained = true;
    throw translateEsdbError(error, context);
  } finally {
    if (!drained) void read.cancel();
  }
}

/**
 * Whether this batch was already stored, judged as the memory adapter does: every id found → the first
 * append's result; some found → IdempotencyConflictError; none → undefined (append normally).
 */
export async function findReplay(client: EventStoreDBClient, streamId: string, events: NewEvent[]): Promise<AppendResult | undefined> {
  const wanted = new Set(events.map((e) => e.id.toLowerCase()));
  const found = new Map<string, RecordedEvent>();
  const read = client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: REPLAY_WINDOW });
  try {
    for await (const event of recordedEvents(read, { streamId })) {
      const id = event.id.toLowerCase();
      if (!wanted.has(id)) continue;
      found.set(id, event);
      if (found.size === wanted.size) break;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    throw error;
  }
  if (found.size === 0) return undefined;
  if (found.size < wanted.size) throw new IdempotencyConflictError(streamId);
  const last = found.get(events[events.length - 1]!.id.toLowerCase())!;
  return { nextExpectedRevision: last.revision, position: last.position };
}

/** The stream's last revision; throws StreamNotFound (missing or soft-deleted) or StreamDeleted. */
export async function lastRevision(client: EventStoreDBClient, streamId: string): Promise<bigint> {
  const read = client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
  for await (const event of recordedEvents(read, { streamId })) return event.revision;
  throw new StreamNotFoundError(streamId);
}

/** The recorded event at `revision`, for results the server returns without a position (idempotent retries). */
export async function eventAt(client: EventStoreDBClient, streamId: string, revision: bigint): Promise<RecordedEvent> {
  const read = client.readStream(streamId, { fromRevision: revision, maxCount: 1 });
  for await (const event of recordedEvents(read, { streamId })) return event;
  throw new StreamNotFoundError(streamId);
}
