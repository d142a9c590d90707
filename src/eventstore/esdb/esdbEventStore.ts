import { ANY, BACKWARDS, END, EventStoreDBClient, FORWARDS, NO_STREAM, START, type Position as EsdbPosition } from '@eventstore/db-client';
import type { Logger } from '../../logging.js';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import { checkExpectedRevision } from '../expectedRevision.js';
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
import { validateAppend } from '../validate.js';
import { eventAt, findReplay, lastRevision, recordedEvents } from './clientReads.js';
import { serverVersion, useUnaryAppend } from './clientGuards.js';
import { decodeEsdbPosition, encodeEsdbPosition, isSystemEvent, samePosition, toClientRevision, toEventData } from './esdbMapping.js';
import { esdbSubscription } from './esdbSubscription.js';
import { serverTraits, type ServerTraits } from './serverVersion.js';
import { translateEsdbError } from './translateError.js';
import { DEFAULT_WRITE_RETRY, retryWrite, type WriteRetryTuning } from './writeRetry.js';

/** Events per readAll request; readAll pages because system events it skips must not eat into maxCount. */
const READ_ALL_PAGE = 512;

/**
 * The event store on EventStoreDB/KurrentDB through `@eventstore/db-client`. Server semantics are mapped to
 * the port's (the memory adapter is the reference); where the server differs, the adapter bridges it:
 * - idempotency: the server dedups retries exactly only for an explicit expected revision below the
 *   stream's end; for `any`/`stream_exists` it relies on a bounded cache, and it reports a partial overlap
 *   as WrongExpectedVersion. So `any`/`stream_exists` appends first look for their ids among the stream's
 *   last REPLAY_WINDOW events, and every WrongExpectedVersion is checked the same way before it is thrown.
 *   Not bridged (it would cost a read per append): a batch re-sent with an explicit revision equal to the
 *   stream's current end is appended again by the server, where the memory adapter would return the replay;
 * - readAll positions are exclusive in both directions (the server's forwards read includes `from`);
 * - system (`$`) events never reach readAll or subscribe;
 * - deleteStream of a missing stream is StreamNotFound (the server would write a soft-delete marker);
 * - `stream_exists` on a soft-deleted stream: the server answers StreamDeleted, the port WrongExpectedVersion
 *   (StreamDeleted means tombstoned), told apart by a read;
 * - appends go through unary Append, never BatchAppend (clientGuards.ts), and are retried with backoff
 *   when the server did not take them (writeRetry.ts);
 * - servers before 23.10 send no `caughtUp`: the subscription synthesises it (esdbSubscription.ts).
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb';

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly logger: Logger,
    readonly server: ServerTraits,
    private readonly writeRetry: WriteRetryTuning,
  ) {}

  /**
   * Connects, checks the server's version against the supported range and makes one read, so a wrong
   * EVENTSTORE (or an unsupported server) fails at start rather than at the first command.
   */
  static async connect(options: { connectionString: string; logger: Logger; writeRetry?: Partial<WriteRetryTuning> }): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    useUnaryAppend(client);
    const where = `EventStoreDB at ${redact(options.connectionString)}`;
    let store: EsdbEventStore;
    try {
      const version = await serverVersion(client);
      const traits = serverTraits(version);
      store = new EsdbEventStore(client, options.logger, traits, { ...DEFAULT_WRITE_RETRY, ...options.writeRetry });
      for await (const _ of store.readAll({ direction: 'backwards', maxCount: 1 })) break;
      if (traits.warning) options.logger.warn({ serverVersion: version }, traits.warning);
      else options.logger.info({ serverVersion: version, sendsCaughtUp: traits.sendsCaughtUp }, 'connected to EventStoreDB');
    } catch (error) {
      await client.dispose();
      throw new Error(`${where} is not reachable or not usable: ${String(error)}`, { cause: error });
    }
    return store;
  }

  /** Retried with backoff while the server did not take it: safe, because a replayed batch is recognised by its ids. */
  async append(streamId: string, events: NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    validateAppend(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    return retryWrite(() => this.appendOnce(streamId, events, expected), { streamId, logger: this.logger, tuning: this.writeRetry });
  }

  private async appendOnce(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (expected === 'any' || expected === 'stream_exists') {
      const replay = await findReplay(this.client, streamId, events);
      if (replay) return replay;
    }
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toClientRevision(expected),
      });
      // The server answers a retry it recognised as idempotent without a position.
      const position = result.position
        ? encodeEsdbPosition(result.position)
        : (await eventAt(this.client, streamId, result.nextExpectedRevision)).position;
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      const translated = translateEsdbError(error, { streamId, expected });
      if (translated instanceof WrongExpectedVersionError) {
        const replay = await findReplay(this.client, streamId, events);
        if (replay) return replay;
      }
      if (translated instanceof StreamDeletedError && expected === 'stream_exists' && (await this.isSoftDeleted(streamId))) {
        throw new WrongExpectedVersionError(streamId, 'stream_exists', 'no_stream');
      }
      throw translated;
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    return recordedEvents(read, { streamId });
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const start = options.from ?? (backwards ? 'end' : 'start');
    let from: EsdbPosition | typeof START | typeof END = start === 'start' ? START : start === 'end' ? END : decodeEsdbPosition(start);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const read = this.client.readAll({ direction: backwards ? BACKWARDS : FORWARDS, fromPosition: from, maxCount: READ_ALL_PAGE });
      const pageStart = from;
      let scanned = 0;
      for await (const event of recordedEvents(read, { streamId: '$all' })) {
        scanned += 1;
        const position = decodeEsdbPosition(event.position);
        from = position;
        // The port's positions are exclusive; the server's forwards read starts at the given one.
        if (typeof pageStart === 'object' && samePosition(position, pageStart)) continue;
        if (isSystemEvent(event.streamId, event.type)) continue;
        yield event;
        if (--remaining <= 0) return;
      }
      if (scanned < READ_ALL_PAGE) return;
    }
  }

  subscribe(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    return esdbSubscription(this.client, options, this.logger, {
      sendsCaughtUp: this.server.sendsCaughtUp,
      readAll: (from) => this.readAll({ from }),
    });
  }

  async deleteStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    const expected = options.expectedRevision ?? 'any';
    // The port's soft delete needs a live stream, and the client cannot send `stream_exists` for a delete:
    // check here, then let the server guard the revision we saw against a concurrent append.
    const current = await lastRevision(this.client, streamId);
    checkExpectedRevision(streamId, expected, current);
    try {
      await this.client.deleteStream(streamId, { expectedRevision: expected === 'any' ? ANY : current });
    } catch (error) {
      throw translateEsdbError(error, { streamId, expected });
    }
  }

  async tombstoneStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    const expected = options.expectedRevision ?? 'any';
    // The client's typings offer no `stream_exists` for deletes: resolve it to the revision it stands for.
    const revision = expected === 'stream_exists' ? await this.existingRevision(streamId) : expected;
    try {
      await this.client.tombstoneStream(streamId, {
        expectedRevision: revision === 'any' ? ANY : revision === 'no_stream' ? NO_STREAM : revision,
      });
    } catch (error) {
      throw translateEsdbError(error, { streamId, expected });
    }
  }

  /** Soft-deleted reads as not found, tombstoned as deleted (IndexWriter.CheckCommit answers Deleted for both). */
  private async isSoftDeleted(streamId: string): Promise<boolean> {
    try {
      await lastRevision(this.client, streamId);
      return false;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return true;
      if (error instanceof StreamDeletedError) return false;
      throw error;
    }
  }

  private async existingRevision(streamId: string): Promise<bigint> {
    try {
      return await lastRevision(this.client, streamId);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new WrongExpectedVersionError(streamId, 'stream_exists', 'no_stream');
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function redact(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//***@');
}
