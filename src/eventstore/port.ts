import type { Availability } from '../availability.js';
import type { Position } from './position.js';

export type { Position } from './position.js';

/** Who did it and why: carried by every event, never optional. */
export interface EventMetadata {
  /** `tenant:<name>`, `admin:<subject>`, `node:<id>`, `saga:<name>`, `system` */
  actor: string;
  correlationId: string;
  causationId: string;
  /** ISO-8601 instant the command was decided at (time comes from the caller, never from decide()). */
  at: string;
  schemaVersion: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface NewEvent {
  /** UUID; the idempotency key of the append. */
  id: string;
  type: string;
  data: JsonValue;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  /** 0-based revision within its stream. */
  revision: bigint;
  /** Position in the global ($all) order. */
  position: Position;
  recordedAt: Date;
}

/**
 * `any`: no check. `no_stream`: the stream must not exist (or be soft-deleted with no events since).
 * `stream_exists`: it must exist. A bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendResult {
  nextExpectedRevision: bigint;
  position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Default: 'start' forwards, 'end' backwards. */
  fromRevision?: bigint | 'start' | 'end';
  maxCount?: number;
}

export interface ReadAllOptions {
  direction?: Direction;
  /** A position is exclusive in both directions: forwards reads after it, backwards before it. */
  from?: Position | 'start' | 'end';
  maxCount?: number;
}

export interface SubscriptionFilter {
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface SubscribeOptions {
  /** A position is exclusive: delivery starts with the first event after it. */
  from: Position | 'start' | 'end';
  filter?: SubscriptionFilter;
  /**
   * Emit a checkpoint after this many scanned events even when the filter matches none (default 32).
   * EventStoreDB checkpoints only in steps of 32, so there it is rounded up.
   */
  checkpointInterval?: number;
  signal?: AbortSignal;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  /** Everything stored when the subscription reached the head has been delivered; live events follow. */
  | { kind: 'caughtUp'; position: Position | undefined }
  /** Everything up to here was scanned (delivered or filtered out): safe to store as a checkpoint. */
  | { kind: 'checkpoint'; position: Position };

export interface EventStore {
  readonly kind: 'memory' | 'postgres' | 'pglite' | 'esdb';
  /** @throws WrongExpectedVersionError, StreamDeletedError, IdempotencyConflictError, InvalidEventError */
  append(streamId: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** @throws StreamNotFoundError (missing or soft-deleted), StreamDeletedError (tombstoned) on first read */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The immutable global log, deleted streams' events included; never system (`$`) events. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up subscription to $all. Keeps going across lost connections by re-reading from the last
   * delivered position; ends only when `signal` aborts (or the iterator is returned).
   */
  subscribe(options: SubscribeOptions): AsyncIterable<SubscriptionMessage>;
  /**
   * Soft delete: reads answer StreamNotFound; a later append re-opens it with revisions continuing.
   * @throws StreamNotFoundError when the stream does not exist (or is already soft-deleted)
   */
  deleteStream(streamId: string, options?: { expectedRevision?: ExpectedRevision }): Promise<void>;
  /** Hard delete: the stream name can never be used again. */
  tombstoneStream(streamId: string, options?: { expectedRevision?: ExpectedRevision }): Promise<void>;
  close(): Promise<void>;
  /** Whether the store answered its last calls (for /health); absent = in-process, always available. */
  availability?(): Availability;
}

export function matchesFilter(filter: SubscriptionFilter | undefined, streamId: string, type: string): boolean {
  if (!filter) return true;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => streamId.startsWith(p))) return false;
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  return true;
}
