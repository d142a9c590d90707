import type pg from 'pg';
import type { EventStore, Position } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { abortableSleep } from '../../abortableSleep.js';
import { startProjection, type ProjectionRunner, type ProjectionStatus } from '../runner.js';
import { activeGeneration, prepareStats, type Generation } from './statsGenerations.js';
import { statsProjection } from './statsOps.js';
import { statsTarget } from './statsTarget.js';

export interface StatsServiceOptions {
  pool: pg.Pool;
  store: EventStore;
  logger: Logger;
  /** The control schema (`STATS_SCHEMA`); generations are `<base>_g<N>`. */
  base: string;
  /** How often to look for a generation activated by a rebuild. */
  watchIntervalMs: number;
}

/**
 * Keeps the active statistics generation up to date, and follows a rebuild's swap: when the pointer names
 * a new generation, a runner starts on it (it continues from the rebuild's checkpoint) and the old one stops.
 * Readers go through the control schema's views, so they switch with the pointer, without downtime.
 */
export class StatsService {
  private runner: { generation: Generation; runner: ProjectionRunner; controller: AbortController } | undefined;
  private readonly stopping = new AbortController();
  private watching: Promise<void> | undefined;

  constructor(private readonly options: StatsServiceOptions) {}

  /** Migrates, starts the runner and resolves once it caught up with the log. */
  async start(): Promise<void> {
    await (await this.launch()).caughtUp;
  }

  /**
   * Migrates and starts the runner; resolves once the migrations are applied, with the catch-up still
   * running (the product serves meetings meanwhile: statistics are never on the hot path).
   */
  async launch(): Promise<{ caughtUp: Promise<void> }> {
    const generation = await prepareStats(this.options.pool, this.options.base);
    const runner = this.follow(generation);
    this.watching = this.watch();
    return { caughtUp: runner.caughtUp };
  }

  get generation(): Generation | undefined {
    return this.runner?.generation;
  }

  /** Read-your-writes on the statistics; rejects when no runner is running. */
  waitFor(position: Position, options?: { timeoutMs?: number }): Promise<void> {
    return this.runner ? this.runner.runner.waitFor(position, options) : Promise.reject(new Error('statistics are not started'));
  }

  status(): ProjectionStatus[] {
    return this.runner ? [this.runner.runner.status()] : [];
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.watching;
    await this.stopRunner();
  }

  private follow(generation: Generation): ProjectionRunner {
    const controller = new AbortController();
    const { pool, store, logger } = this.options;
    const runner = startProjection({ store, projection: statsProjection, target: statsTarget(pool, generation.schema), logger, signal: controller.signal, maxBatch: 2000 });
    this.runner = { generation, runner, controller };
    return runner;
  }

  private async stopRunner(): Promise<void> {
    const current = this.runner;
    if (!current) return;
    current.controller.abort();
    await current.runner.done.catch(() => {});
  }

  private async watch(): Promise<void> {
    const { pool, base, logger, watchIntervalMs } = this.options;
    while (!this.stopping.signal.aborted) {
      await abortableSleep(watchIntervalMs, this.stopping.signal).catch(() => {});
      if (this.stopping.signal.aborted) return;
      try {
        const active = await activeGeneration(pool, base);
        if (active && active.schema !== this.runner?.generation.schema) {
          logger.info({ from: this.runner?.generation.schema, to: active.schema }, 'statistics: following the newly activated generation');
          await this.stopRunner();
          this.follow(active);
        }
      } catch (error) {
        logger.warn({ err: error }, 'statistics: cannot read the active generation; will retry');
      }
    }
  }
}
