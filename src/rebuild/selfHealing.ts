import type { Redis } from 'ioredis';
import { abortableSleep } from '../abortableSleep.js';
import type { EventStore, Position } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { ReadModelLostError } from '../projections/projection.js';
import { ProjectionError, type ProjectionRunner, type ProjectionStatus } from '../projections/runner.js';
import { rebuild } from './rebuild.js';
import type { RedisReadModel } from './redisReadModels.js';
import { modelKeys } from './redisSwap.js';
import { CensusCheck } from './censusCheck.js';
import { HEAL_OWNER_TTL_MS, holdHeal, sweepHealLeftovers } from './healLeftovers.js';
import { LogCheck } from './logCheck.js';
import { ShapeCheck } from './shapeCheck.js';
import { nextRetry, type RetryPolicy } from '../retryPolicy.js';

/** Redis or the store away: tried again 200 ms after the first failure, doubling up to 30 s, for as long as it takes. */
const AWAY_RETRY: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 200, maxDelayMs: 30_000, jitter: 0 };
function backoffMs(failedAttempt: number): number {
  const next = nextRetry(AWAY_RETRY, failedAttempt, Math.random);
  return next.retry ? next.delayMs : AWAY_RETRY.maxDelayMs;
}

export interface SelfHealingOptions {
  store: EventStore;
  logger: Logger;
  redis: Redis;
  /** The live prefix (`REDIS_PREFIX`). */
  prefix: string;
  model: RedisReadModel;
  /** Where this instance rebuilds, beside the live prefix; unique per instance, so two healers never share one. */
  healPrefix: string;
  /** How often the stored checkpoint is compared with the runner's (a loss while no event arrives). */
  checkIntervalMs: number;
  /** How long a heal's owner mark lives unless refreshed, and how long the keys of a heal with none must idle before they are swept (healLeftovers.ts). */
  ownerTtlMs?: number;
  signal: AbortSignal;
}

/** The prefix an instance heals under: beside the live one, never matched by the live one's globs. */
export const healPrefixOf = (livePrefix: string, instance: string): string => `${livePrefix.replace(/:$/, '')}~heal-${instance}:`;

/**
 * A shared Redis read model that heals itself. It runs the model's projection as usual and finds it lost when
 * 1. at start, its keys hold data but no checkpoint, a checkpoint ahead of the log, the identity of another
 * log beside it (src/rebuild/logCheck.ts: a different Redis, even one whose checkpoint is at or behind our
 * head; a model without one, written before identities were kept, is adopted), other data than its census
 * counts (src/rebuild/censusCheck.ts), or data written by another shape (its marker or any record:
 * src/projections/sharedShape.ts); 2. a commit finds the stored checkpoint gone or behind what this runner
 * stored, or another log's identity (ReadModelLostError); 3. every `checkIntervalMs`, the same comparisons
 * (checkpoint and identity in one MGET, and ahead of the log), for a loss while no event arrives, then a page of
 * its census, the shape marker and a page of records. Then
 * it stops the runner, rebuilds the model from the log beside the live one and swaps it in (src/rebuild, as
 * `ledger rebuild --replace`), and runs again from the rebuilt checkpoint: `degraded` in status() meanwhile.
 * Redis away is neither a loss nor a failure: `degraded` while it waits. Nothing the API answers is read
 * from here (compose.ts), so a lost model costs no answer.
 */
export function selfHealingModel(options: SelfHealingOptions): ProjectionRunner {
  return new SelfHealingModel(options);
}

class SelfHealingModel implements ProjectionRunner {
  readonly name: string;
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private current: ProjectionRunner | undefined;
  private degradedBy: string | undefined;
  /** Why the model waits (Redis or the store unreachable): degraded meanwhile, never failed, as the API does not read it. */
  private away: string | undefined;
  private heals = 0;
  private failure: Error | undefined;
  private markCaughtUp!: () => void;
  private readonly log: Logger;
  private readonly ofLog: LogCheck;
  private readonly shape: ShapeCheck;
  private readonly census: CensusCheck;

  constructor(private readonly options: SelfHealingOptions) {
    this.name = `redis:${options.model.name}`;
    this.log = options.logger.child({ projection: this.name });
    this.ofLog = new LogCheck(options.store, options.redis, options.prefix, options.model);
    this.shape = new ShapeCheck(options.redis, options.prefix, options.model);
    this.census = new CensusCheck(options.redis, options.prefix, options.model);
    let failCaughtUp!: (error: Error) => void;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.markCaughtUp = resolve;
      failCaughtUp = reject;
    });
    this.done = this.run().then(
      () => failCaughtUp(new Error(`projection ${this.name} stopped`)),
      (error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        failCaughtUp(this.failure);
        throw this.failure;
      },
    );
    this.caughtUp.catch(() => {});
    this.done.catch(() => {});
  }

  status(): ProjectionStatus {
    const inner = this.current?.status();
    const checkpoint = inner?.checkpoint;
    const heals = this.heals;
    if (this.failure) return { name: this.name, state: 'failed', checkpoint, error: this.failure.message, heals };
    const degradedBy = this.degradedBy ?? this.away;
    if (degradedBy !== undefined) return { name: this.name, state: 'degraded', checkpoint, degradedBy, heals };
    return { name: this.name, state: inner?.state ?? 'starting', checkpoint, heals };
  }

  waitFor(position: Position, options?: { timeoutMs?: number }): Promise<void> {
    return this.current ? this.current.waitFor(position, options) : Promise.reject(new Error(`projection ${this.name} is not running`));
  }

  private async run(): Promise<void> {
    const { signal } = this.options;
    const lost = await this.untilRedisAnswers(() => this.atStart());
    // A heal sweeps first; otherwise the start does.
    if (lost) await this.heal(lost);
    else await this.sweep();
    let awayAttempts = 0;
    while (!signal.aborted) {
      const controller = new AbortController();
      const stop = () => controller.abort();
      signal.addEventListener('abort', stop, { once: true });
      const { store, logger, redis, prefix, model } = this.options;
      const runner = model.start(redis, prefix, { store, logger, signal: controller.signal, maxBatch: 256, onCommitted: () => {}, log: this.ofLog.identity });
      this.current = runner;
      runner.caughtUp.then(() => {
        this.answered();
        awayAttempts = 0;
        this.markCaughtUp();
      }, () => {});
      try {
        // 2. and 3.: until the runner stops or the model is found lost
        const ended = await this.watch(runner);
        if (ended.away) {
          // Redis (or the store) away as the runner loaded its checkpoint: run it again once it answers
          this.awaitRedis(`Redis or the event store unreachable (${ended.away.message}): waiting for it`, ended.away);
          await abortableSleep(backoffMs(++awayAttempts), signal);
          continue;
        }
        if (ended.lost === undefined) return;
        controller.abort();
        await runner.done.catch(() => {});
        await this.heal(ended.lost);
      } finally {
        signal.removeEventListener('abort', stop);
      }
    }
  }

  /**
   * 1. at start: data without its checkpoint (another log's, or a checkpoint deleted on its own), a model built
   * from another log, data deleted while its checkpoint stayed, or data another version of bbb-ledger wrote.
   * A model built before log identities were kept is adopted (logCheck.ts).
   */
  private async atStart(): Promise<string | undefined> {
    const { checkpoint, builtFrom } = await this.ofLog.stored();
    if (checkpoint === undefined) {
      return (await modelKeys(this.options.redis, this.options.model, this.options.prefix)).length > 0 ? 'data without its checkpoint' : undefined;
    }
    return (
      (await this.ofLog.aheadOfLog(checkpoint)) ??
      (await this.ofLog.builtFrom(builtFrom, true)) ??
      (await this.census.all()) ??
      (await this.shape.marker()) ??
      (await this.shape.allRecords())
    );
  }

  /** Logged once per outage, not once per attempt. */
  private awaitRedis(why: string, error: unknown): void {
    if (this.away === undefined) this.log.warn({ err: error }, `read model ${this.options.model.name} in Redis: ${why}`);
    this.away = why;
  }

  private answered(): void {
    if (this.away !== undefined) this.log.info(`read model ${this.options.model.name} in Redis runs again`);
    this.away = undefined;
  }

  /** Redis away is no loss and no failure: `attempt` is tried again, with backoff, until it answers or the model stops. */
  private async untilRedisAnswers<T>(attempt: () => Promise<T>): Promise<T | undefined> {
    const { signal } = this.options;
    for (let failed = 1; !signal.aborted; failed++) {
      try {
        const result = await attempt();
        this.answered();
        return result;
      } catch (error) {
        if (signal.aborted) break;
        this.awaitRedis(`Redis unreachable (${error instanceof Error ? error.message : String(error)}): waiting for it`, error);
        await abortableSleep(backoffMs(failed), signal);
      }
    }
    return undefined;
  }

  /**
   * Resolves once the runner stopped (`lost` undefined), with why the model is lost, or with the error it
   * failed by when that was no projection's (Redis or the store away); rejects for a projection error.
   */
  private async watch(runner: ProjectionRunner): Promise<{ lost?: string; away?: Error }> {
    const ended = runner.done.then(
      () => ({}),
      (error: unknown) => {
        if (error instanceof ReadModelLostError) return { lost: error.why };
        if (error instanceof ProjectionError || this.options.signal.aborted) throw error;
        return { away: error instanceof Error ? error : new Error(String(error)) };
      },
    );
    for (;;) {
      const tick = abortableSleep(this.options.checkIntervalMs, this.options.signal).then(() => undefined);
      const first = await Promise.race([ended, tick]);
      if (first) return first;
      if (this.options.signal.aborted) return ended;
      const lost = await this.compare(runner);
      if (lost) return { lost };
    }
  }

  /**
   * The runner's checkpoint first: it only moves after Redis stored it, so a stored one behind it is a loss.
   * The stored checkpoint and log identity come in one round trip (a model without an identity gets it with
   * the runner's next commit).
   */
  private async compare(runner: ProjectionRunner): Promise<string | undefined> {
    const committed = runner.status().checkpoint;
    if (committed === undefined) return undefined;
    // Redis away: not a loss yet; the runner's commits retry, and the next check looks again.
    const stored = await this.ofLog.stored().catch(() => undefined);
    if (stored === undefined) return undefined;
    const { checkpoint, builtFrom } = stored;
    if (checkpoint === undefined) return 'its checkpoint vanished';
    if (checkpoint < committed) return `its checkpoint went backwards (${checkpoint} < ${committed})`;
    // Ahead of this runner: another instance's commit, or another log's checkpoint.
    if (checkpoint > committed) {
      const ahead = await this.ofLog.aheadOfLog(checkpoint).catch(() => undefined);
      if (ahead) return ahead;
    }
    return (await this.ofLog.builtFrom(builtFrom, false).catch(() => undefined)) ?? this.lostData();
  }

  /**
   * Data deleted while its checkpoint stayed (its census, below, and a page of the records its indexes list),
   * or a marker or a record of another shape (an instance of another version wrote it): rebuilt like a loss.
   */
  private async lostData(): Promise<string | undefined> {
    try {
      return (await this.census.next()) ?? (await this.shape.marker()) ?? (await this.shape.nextRecords());
    } catch {
      return undefined; // Redis away: the next check looks again
    }
  }

  /** What heals of instances killed mid-heal left beside the live prefix: never swapped in, never deleted otherwise. */
  private async sweep(): Promise<void> {
    try {
      const swept = await sweepHealLeftovers(this.options.redis, this.options.prefix, this.options.ownerTtlMs ?? HEAL_OWNER_TTL_MS);
      if (swept.length > 0) this.log.info({ swept }, `deleted what ${swept.length} interrupted heal(s) left beside the live read models`);
    } catch (error) {
      this.log.warn({ err: error }, 'could not sweep what interrupted heals left in Redis; the next start or heal tries again');
    }
  }

  /** Rebuilds beside the live model and swaps it in; retries (Redis or the store away) with backoff until it can. */
  private async heal(why: string): Promise<void> {
    const { store, logger, redis, prefix, model, healPrefix, signal } = this.options;
    this.degradedBy = why;
    this.heals += 1;
    const started = performance.now();
    this.log.warn({ why, heals: this.heals }, `read model ${model.name} in Redis is lost (${why}): rebuilding it from the log`);
    await this.sweep();
    for (let failed = 1; !signal.aborted; failed++) {
      // marked as running while it builds, so no sweep takes its keys; released (its leftovers deleted) however it ends
      let held: { release(): Promise<void> } | undefined;
      try {
        held = await holdHeal(redis, healPrefix, model, this.options.ownerTtlMs ?? HEAL_OWNER_TTL_MS);
        const report = await rebuild({ store, logger, models: [model.name], replace: true, redis, redisPrefix: prefix, rebuildPrefix: healPrefix, signal });
        this.log.info({ events: report.events, ms: Math.round(performance.now() - started) }, `read model ${model.name} in Redis rebuilt and live again`);
        this.degradedBy = undefined;
        return;
      } catch (error) {
        if (signal.aborted) return;
        // once per heal at warn: a Redis or store outage otherwise logs at every retry
        const retryInMs = backoffMs(failed);
        this.log[failed === 1 ? 'warn' : 'debug']({ err: error, retryInMs }, `rebuilding ${model.name} in Redis failed; trying again until it can`);
        await abortableSleep(retryInMs, signal);
      } finally {
        await held?.release().catch(() => undefined);
      }
    }
  }
}
