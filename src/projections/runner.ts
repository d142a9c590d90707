import type { Logger } from '../logging.js';
import type { EventStore, Position, RecordedEvent, SubscriptionMessage } from '../eventstore/port.js';
import { isAfter, ReadModelLostError, type CheckpointTarget, type ProjectedEntry, type ProjectionDefinition } from './projection.js';
import { PositionWaiters } from './positionWaiters.js';
import { abortableSleep } from '../abortableSleep.js';

export interface ProjectionRunnerOptions<Op> {
  store: Pick<EventStore, 'subscribe'>;
  projection: ProjectionDefinition<Op>;
  target: CheckpointTarget<Op>;
  logger: Logger;
  /** Aborting stops the runner; events not yet committed are simply projected again by the next run. */
  signal: AbortSignal;
  /** Most events per commit while catching up. */
  maxBatch?: number;
  /** First delay before retrying a failed commit; doubles up to 30 s. */
  retryDelayMs?: number;
}

/** `degraded`: a shared model found lost and being rebuilt from the log (src/rebuild/selfHealing.ts). */
export type ProjectionState = 'starting' | 'catching-up' | 'live' | 'degraded' | 'stopped' | 'failed';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  checkpoint: Position | undefined;
  error?: string;
  /** Shared models: why it is degraded, and how often it was rebuilt since this instance started. */
  degradedBy?: string;
  heals?: number;
}

export interface ProjectionRunner {
  readonly name: string;
  /** Resolves once the read model reflects everything stored when the runner started; rejects if it fails first. */
  readonly caughtUp: Promise<void>;
  /** Resolves when stopped by the signal; rejects with the error that stopped the projection. */
  readonly done: Promise<void>;
  status(): ProjectionStatus;
  /** Resolves once the read model reflects `position` (read-your-writes); rejects on failure, stop or timeout. */
  waitFor(position: Position, options?: { timeoutMs?: number }): Promise<void>;
}

/** A stored event the projection could not handle. The runner stops on it: skipping would corrupt the model. */
export class ProjectionError extends Error {
  constructor(projection: string, event: RecordedEvent, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `projection ${projection} stopped at ${event.type} ${event.streamId}@${event.revision} (position ${event.position}, id ${event.id}): ${reason}`,
      { cause },
    );
    this.name = new.target.name;
  }
}

/** The subscription's default: a checkpoint message stands for this many filtered-out events. */
const CHECKPOINT_INTERVAL = 32;

const IDLE = Symbol('idle');
const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));

export function startProjection<Op>(options: ProjectionRunnerOptions<Op>): ProjectionRunner {
  return new Runner(options);
}

class Runner<Op> implements ProjectionRunner {
  readonly name: string;
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private state: ProjectionState = 'starting';
  private failure: Error | undefined;
  private readonly waiters = new PositionWaiters();
  private markCaughtUp!: () => void;
  private readonly log: Logger;

  constructor(private readonly options: ProjectionRunnerOptions<Op>) {
    this.name = options.projection.name;
    this.log = options.logger.child({ projection: this.name });
    let failCaughtUp!: (error: Error) => void;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.markCaughtUp = resolve;
      failCaughtUp = reject;
    });
    this.done = this.run().then(
      () => {
        this.state = 'stopped';
        const stopped = new Error(`projection ${this.name} stopped`);
        failCaughtUp(stopped);
        this.waiters.rejectAll(stopped);
      },
      (error: unknown) => {
        this.state = 'failed';
        this.failure = error instanceof Error ? error : new Error(String(error));
        // A lost shared model is expected to be rebuilt by its supervisor: worth a warning, not an error.
        const level = this.failure instanceof ReadModelLostError ? 'warn' : 'error';
        this.log[level]({ err: this.failure, checkpoint: this.waiters.checkpoint }, this.failure.message);
        failCaughtUp(this.failure);
        this.waiters.rejectAll(this.failure);
        throw this.failure;
      },
    );
    // Callers may never look at these; their rejections are reported through the log and status().
    this.caughtUp.catch(() => {});
    this.done.catch(() => {});
  }

  status(): ProjectionStatus {
    const status: ProjectionStatus = { name: this.name, state: this.state, checkpoint: this.waiters.checkpoint };
    return this.failure ? { ...status, error: this.failure.message } : status;
  }

  waitFor(position: Position, options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.state === 'stopped') return Promise.reject(new Error(`projection ${this.name} stopped`));
    return this.waiters.waitFor(position, this.name, options.timeoutMs);
  }

  private async run(): Promise<void> {
    const { store, projection, target, signal } = this.options;
    const maxBatch = this.options.maxBatch ?? 256;
    const start = await target.loadCheckpoint();
    this.waiters.advance(start);
    this.state = 'catching-up';
    this.log.info({ from: start ?? 'start' }, `projection ${this.name} starting`);
    const iterator = store.subscribe({ from: start ?? 'start', filter: projection.filter, signal })[Symbol.asyncIterator]();
    let batch: ProjectedEntry<Op>[] = [];
    let scanned: Position | undefined = start;
    // Events scanned since the last commit, filtered-out ones included (a checkpoint stands for its interval).
    let sinceCommit = 0;
    // Catching up, a batch commits while the next one is read and projected: at most one commit in flight.
    let committing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const entries = batch;
      const at = scanned;
      batch = [];
      sinceCommit = 0;
      await committing;
      if (at === undefined) return;
      committing = this.commit(entries, at);
      if (this.state !== 'catching-up') await committing;
    };
    const flushAll = async () => {
      await flush();
      await committing;
    };
    try {
      let pending = iterator.next();
      for (;;) {
        // Live: while events keep coming they join the batch; the moment the subscription would wait, commit.
        // Catching up: every page read would look like a wait, so batches fill up to maxBatch instead.
        const next = batch.length > 0 && this.state === 'live' ? await Promise.race([pending, idle()]) : await pending;
        if (next === IDLE) {
          await flushAll();
          continue;
        }
        if (next.done || signal.aborted) {
          await committing;
          return;
        }
        pending = iterator.next();
        const message: SubscriptionMessage = next.value;
        if (message.kind === 'event') {
          const ops = this.project(message.event);
          if (ops instanceof ProjectionError) {
            await flushAll();
            throw ops;
          }
          batch.push({ position: message.event.position, ops });
          scanned = message.event.position;
          sinceCommit += 1;
          if (sinceCommit >= maxBatch) await flush();
        } else if (message.kind === 'checkpoint' && this.state === 'catching-up') {
          scanned = message.position;
          sinceCommit += CHECKPOINT_INTERVAL;
          if (sinceCommit >= maxBatch) await flush();
        } else {
          scanned = message.position ?? scanned;
          await flushAll();
          if (message.kind === 'caughtUp' && this.state === 'catching-up') {
            this.state = 'live';
            this.log.info({ checkpoint: scanned }, `projection ${this.name} caught up`);
            this.markCaughtUp();
          }
        }
      }
    } finally {
      void iterator.return?.();
    }
  }

  /**
   * Synchronous, so a replay pays no await per event. On failure the caller first commits the events
   * before the bad one, so the checkpoint points right at it.
   */
  private project(event: RecordedEvent): Op[] | ProjectionError {
    try {
      return this.options.projection.project(event);
    } catch (cause) {
      return new ProjectionError(this.name, event, cause);
    }
  }

  private async commit(entries: ProjectedEntry<Op>[], checkpoint: Position): Promise<void> {
    if (!isAfter(checkpoint, this.waiters.checkpoint)) return;
    let delay = this.options.retryDelayMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const after = this.waiters.checkpoint;
        await this.options.target.commit(after === undefined ? { entries, checkpoint } : { entries, checkpoint, after });
        this.waiters.advance(checkpoint);
        if (attempt > 1) this.log.info({ attempts: attempt }, `projection ${this.name}: commit succeeded again`);
        return;
      } catch (error) {
        if (this.options.signal.aborted || error instanceof ReadModelLostError) throw error;
        // The target (Redis, Postgres) being away is temporary: keep the batch and try again. Logged once per
        // outage, not per retry (issue 10 item 8); /health shows the model lagging meanwhile.
        if (attempt === 1) this.log.warn({ err: error, retryInMs: delay }, `projection ${this.name}: commit failed, retrying until it succeeds`);
        await abortableSleep(delay, this.options.signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }
}
