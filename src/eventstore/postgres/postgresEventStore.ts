import pg from 'pg';
import type { Logger } from '../../logging.js';
import { AppendSignal } from '../appendSignal.js';
import { catchUpSubscription, type CatchUpSource } from '../catchUpSubscription.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from '../port.js';
import { validateAppend } from '../validate.js';
import { appendToStream } from './appendSql.js';
import { PgNotifier } from './pgNotifier.js';
import { readAllPages, readStreamPages, waitForSettledHorizon, waitUntilSettled } from './pagedReads.js';
import { lastLogPosition, readSubscriptionPage } from './readSql.js';
import { CorruptStoredEventError, toCursor } from './rowMapping.js';
import { applySchema, checkSchemaName, notifyChannel } from './schema.js';
import { softDeleteStream, tombstoneStream } from './streamDeletion.js';
import { abortableSleep } from '../../abortableSleep.js';
import { SharedReads } from '../sharedReads.js';
import { AvailabilityMonitor, isOutage, type Availability } from '../../availability.js';
import { StoreUnavailableError } from '../errors.js';

const SUBSCRIPTION_CONNECTIONS = 2;

export interface PostgresEventStoreOptions {
  connectionString?: string;
  /** A pool the caller owns and closes; the store only adds an 'error' listener while open. */
  pool?: pg.Pool;
  /** Where the es_* tables live (created if missing). Default `public`. */
  schema?: string;
  logger: Logger;
  /** Test seam: runs inside each append transaction just before COMMIT (e.g. to delay commits). */
  beforeCommit?: (streamId: string) => Promise<void>;
  /**
   * Deadline of every call (`EVENTSTORE_TIMEOUT_MS`): waiting for a connection, connecting, and each
   * statement. Past it the call fails with StoreUnavailableError and the connection is dropped.
   */
  timeoutMs?: number;
}

/** The pool settings that bound every call to `timeoutMs`; shared by the statistics pool. */
export function boundedPoolConfig(connectionString: string, timeoutMs: number | undefined): pg.PoolConfig {
  const bounds = timeoutMs === undefined ? {} : { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs };
  // keepAlive: a peer that vanished without a FIN is noticed on idle connections too.
  return { connectionString, application_name: 'bbb-ledger', keepAlive: true, ...bounds };
}

/** How a store was set up; `open()` and `openPgliteEventStore()` fill it in. */
export interface PostgresStoreSetup {
  kind: 'postgres' | 'pglite';
  pool: pg.Pool;
  /**
   * Where the subscriptions read (default `pool`): their own connections on real PostgreSQL, so a model that a
   * request waits for (read-your-writes) is not queued behind the appends of every request in flight.
   */
  readPool?: pg.Pool;
  schema: string;
  logger: Logger;
  /** Cross-process wake-ups (real Postgres only; PGlite has no other process). */
  listen: boolean;
  beforeCommit?: ((streamId: string) => Promise<void>) | undefined;
  /** Releases what the store owns (its pool, its PGlite), after the store stopped using them. */
  release: () => Promise<void>;
}

/** The event store on PostgreSQL (or PGlite, same SQL): xid8-ordered $all, LISTEN/NOTIFY wake-ups. */
export class PostgresEventStore implements EventStore {
  readonly kind: 'postgres' | 'pglite';
  readonly pool: pg.Pool;
  private readonly readPool: pg.Pool;
  readonly schema: string;
  private readonly logger: Logger;
  private readonly appended = new AppendSignal();
  private readonly pages = new SharedReads<RecordedEvent[]>();
  private readonly closing = new AbortController();
  private notifier: PgNotifier | undefined;
  private closed: Promise<void> | undefined;
  private readonly monitor: AvailabilityMonitor;
  // An idle connection failed (server restart, terminated backend): the pool opens a new one on next use.
  private readonly onPoolError = (error: Error) => {
    if (!this.closing.signal.aborted) this.monitor.failed(error);
  };

  private constructor(private readonly setup: PostgresStoreSetup) {
    this.kind = setup.kind;
    this.pool = setup.pool;
    this.readPool = setup.readPool ?? setup.pool;
    this.schema = setup.schema;
    this.logger = setup.logger.child({ component: 'eventstore', store: setup.kind, schema: setup.schema });
    this.monitor = new AvailabilityMonitor(this.logger, `event store (${setup.kind})`, 'Check that PostgreSQL is running and reachable (EVENTSTORE); acknowledged events are safe in it.');
    this.pool.on('error', this.onPoolError);
    if (this.readPool !== this.pool) this.readPool.on('error', this.onPoolError);
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const { connectionString, pool: given } = options;
    if (!given && !connectionString) throw new Error('PostgresEventStore.open needs a connectionString or a pool');
    const pool = given ?? new pg.Pool(boundedPoolConfig(connectionString!, options.timeoutMs));
    // Two: the in-process models' shared read and one more (a Redis model, a saga) at a time.
    const readPool = given ? undefined : new pg.Pool({ ...boundedPoolConfig(connectionString!, options.timeoutMs), max: SUBSCRIPTION_CONNECTIONS });
    return PostgresEventStore.openWith({
      kind: 'postgres',
      pool,
      readPool,
      schema: options.schema ?? 'public',
      logger: options.logger,
      listen: true,
      beforeCommit: options.beforeCommit,
      release: given ? async () => undefined : async () => void (await Promise.all([pool.end(), readPool?.end()])),
    });
  }

  /** Applies the schema and starts listening; on failure releases what `setup` owns. */
  static async openWith(setup: PostgresStoreSetup): Promise<PostgresEventStore> {
    const store = new PostgresEventStore({ ...setup, schema: checkSchemaName(setup.schema) });
    try {
      await applySchema(store.pool, store.schema);
      if (setup.listen) {
        store.notifier = new PgNotifier({
          pool: store.pool,
          clientConfig: store.pool.options,
          channel: notifyChannel(store.schema),
          signal: store.appended,
          logger: store.logger,
        });
        await store.notifier.start();
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    validateAppend(streamId, events);
    const result = await this.guard(appendToStream(this.setup, streamId, events, options.expectedRevision ?? 'any'));
    this.appended.notify();
    this.notifier?.appended();
    return result;
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    return this.guardEach(readStreamPages(this.pool, this.schema, streamId, options));
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return this.guardEach(readAllPages(this.pool, this.schema, options, this.logger));
  }

  subscribe(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    const signal = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal;
    return catchUpSubscription({ ...options, signal }, this.subscriptionSource(signal));
  }

  async deleteStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    await this.guard(softDeleteStream(this.pool, this.schema, streamId, options.expectedRevision ?? 'any'));
  }

  async tombstoneStream(streamId: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    await this.guard(tombstoneStream(this.pool, this.schema, streamId, options.expectedRevision ?? 'any'));
  }

  availability(): Availability {
    return this.monitor.current();
  }

  /** Reports the call's outcome to the monitor; a lost, refused or overdue connection becomes StoreUnavailableError. */
  private async guard<T>(call: Promise<T>): Promise<T> {
    try {
      return await this.monitor.observe(call, isOutage);
    } catch (error) {
      throw isOutage(error) ? new StoreUnavailableError(this.kind, error) : error;
    }
  }

  private async *guardEach<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
    try {
      for (;;) {
        const next = await this.guard(pages.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await pages.return(undefined);
    }
  }

  /** Ends this store's subscriptions, then releases what it owns. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort();
      await this.notifier?.close();
      await this.setup.release();
      this.pool.off('error', this.onPoolError);
      this.readPool.off('error', this.onPoolError);
    })();
    return this.closed;
  }

  /** Not cancelled by one subscription's signal: other subscriptions may share the read (SharedReads). */
  private async readSettledPage(after: Position | undefined, limit: number): Promise<RecordedEvent[]> {
    const cursor = toCursor(after);
    const page = await readSubscriptionPage(this.readPool, this.schema, cursor, limit);
    if (page.events.length === limit || !page.heldBack) return page.events;
    await waitUntilSettled(this.readPool, page.horizon, this.logger, this.closing.signal);
    return (await readSubscriptionPage(this.readPool, this.schema, cursor, limit)).events;
  }

  /**
   * Each read is its own pooled query, so no client is held while the consumer handles an event. A short
   * page while committed events wait behind older open transactions is not the head yet: wait for those
   * transactions (usually ms) and read again, so `caughtUp` and live delivery never leave committed events
   * behind until the next poll.
   */
  private subscriptionSource(signal: AbortSignal): CatchUpSource {
    const source: CatchUpSource = {
      head: async () => {
        for (let attempt = 1; !signal.aborted; attempt++) {
          try {
            return await this.guard((async () => lastLogPosition(this.readPool, this.schema, await waitForSettledHorizon(this.readPool, this.logger, signal)))());
          } catch (error) {
            source.onReadError?.(error, attempt);
            await abortableSleep(Math.min(10_000, 100 * 2 ** attempt), signal);
          }
        }
        return undefined;
      },
      readPage: (after, limit) => this.pages.read(`${after ?? ''}/${limit}`, () => this.guard(this.readSettledPage(after, limit))),
      listen: () => this.appended.listen(),
      onReadError: (error, attempt) => {
        if (this.closing.signal.aborted || signal.aborted) return;
        if (error instanceof CorruptStoredEventError) {
          this.logger.error({ err: error, attempt }, 'subscription is stopped at a corrupt stored event; it retries until the row is repaired');
          return;
        }
        // The monitor has logged the outage once; each subscription's retries are not news.
        if (error instanceof StoreUnavailableError) {
          this.logger.debug({ err: error, attempt }, 'subscription read failed; retrying from the last delivered position with backoff');
          return;
        }
        this.logger.warn(
          { err: error, attempt },
          'subscription read failed (lost connection?); retrying from the last delivered position with backoff, nothing is skipped. If this repeats, check that PostgreSQL is reachable',
        );
      },
    };
    return source;
  }
}
