import { AppendSignal } from '../appendSignal.js';
import { IdempotencyConflictError, StreamDeletedError, StreamNotFoundError } from '../errors.js';
import { checkExpectedRevision } from '../expectedRevision.js';
import { decodePosition, encodePosition } from '../position.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from '../port.js';
import { catchUpSubscription } from '../catchUpSubscription.js';
import { validateAppend } from '../validate.js';

interface StreamState {
  events: RecordedEvent[];
  /** By event id: a repeated append is found without scanning the stream (meeting streams grow with every join). */
  byId: Map<string, RecordedEvent>;
  /** Revisions below this are soft-deleted. */
  truncateBefore: bigint;
  tombstoned: boolean;
}

/** For unit tests and throw-away demos: everything lives in this process and is gone on exit. */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory';
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly appended = new AppendSignal();

  async append(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    validateAppend(streamId, events);
    const stream = this.streams.get(streamId) ?? { events: [], byId: new Map<string, RecordedEvent>(), truncateBefore: 0n, tombstoned: false };
    if (stream.tombstoned) throw new StreamDeletedError(streamId);
    const replay = this.findReplay(streamId, stream, events);
    if (replay) return replay;
    checkExpectedRevision(streamId, options.expectedRevision ?? 'any', liveRevision(stream));
    const recordedAt = new Date();
    for (const e of events) {
      const recorded: RecordedEvent = deepFreeze({
        ...structuredClone(e),
        streamId,
        revision: BigInt(stream.events.length),
        position: encodePosition('M', BigInt(this.log.length + 1)),
        recordedAt,
      });
      stream.events.push(recorded);
      stream.byId.set(recorded.id, recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    this.appended.notify();
    const last = stream.events[stream.events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) throw new StreamDeletedError(streamId);
    if (!stream || liveRevision(stream) === 'no_stream') throw new StreamNotFoundError(streamId);
    const live = stream.events.filter((e) => e.revision >= stream.truncateBefore);
    const from = options.fromRevision ?? (options.direction === 'backwards' ? 'end' : 'start');
    let selected: RecordedEvent[];
    if (options.direction === 'backwards') {
      const top = from === 'end' ? live[live.length - 1]!.revision : from === 'start' ? live[0]!.revision : from;
      selected = live.filter((e) => e.revision <= top).reverse();
    } else {
      selected = from === 'end' ? [] : live.filter((e) => from === 'start' || e.revision >= from);
    }
    yield* selected.slice(0, options.maxCount ?? Infinity);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.from ?? (backwards ? 'end' : 'start');
    // Positions are 1-based indexes into the log.
    const at = from === 'start' ? 0 : from === 'end' ? this.log.length : Number(decodePosition('M', from, 1)[0]);
    const selected = backwards ? this.log.slice(0, from === 'end' ? at : Math.max(0, at - 1)).reverse() : this.log.slice(at);
    yield* selected.slice(0, options.maxCount ?? Infinity);
  }

  subscribe(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    return catchUpSubscription(options, {
      head: async () => this.log[this.log.length - 1]?.position,
      readPage: async (after, limit) => {
        const start = after === undefined ? 0 : Number(decodePosition('M', after, 1)[0]);
        return this.log.slice(start, start + limit);
      },
      listen: () => this.appended.listen(),
    });
  }

  async deleteStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    const stream = this.existingStream(streamId, options.expectedRevision);
    stream.truncateBefore = BigInt(stream.events.length);
  }

  async tombstoneStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    const stream = this.streams.get(streamId) ?? { events: [], byId: new Map<string, RecordedEvent>(), truncateBefore: 0n, tombstoned: false };
    if (stream.tombstoned) throw new StreamDeletedError(streamId);
    checkExpectedRevision(streamId, options.expectedRevision ?? 'any', liveRevision(stream));
    stream.tombstoned = true;
    this.streams.set(streamId, stream);
  }

  async close(): Promise<void> {}

  private existingStream(streamId: string, expected: ExpectedRevision = 'any'): StreamState {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) throw new StreamDeletedError(streamId);
    if (!stream || liveRevision(stream) === 'no_stream') throw new StreamNotFoundError(streamId);
    checkExpectedRevision(streamId, expected, liveRevision(stream));
    return stream;
  }

  private findReplay(streamId: string, stream: StreamState, events: NewEvent[]): AppendResult | undefined {
    const stored = events.map((e) => stream.byId.get(e.id));
    if (stored.every((r) => r === undefined)) return undefined;
    if (stored.some((r) => r === undefined)) throw new IdempotencyConflictError(streamId);
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

/**
 * Recorded events are copied once, frozen, and shared by every reader and subscriber: a copy per subscriber
 * per event was most of the memory store's cost, and frozen, nobody can change what another one reads.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Dates stay settable (freezing does not reach their internal time); readers only read recordedAt.
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

function liveRevision(stream: StreamState): bigint | 'no_stream' {
  const last = BigInt(stream.events.length) - 1n;
  return last < stream.truncateBefore ? 'no_stream' : last;
}

