import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { abortableSleep } from '../abortableSleep.js';
import { applyMigrations } from '../postgres/migrate.js';
import { quoteIdent } from '../postgres/sqlNames.js';
import type { ProjectionRunner } from '../projections/runner.js';
import { activate, activeGeneration, dropSchema, generationSchema, prepareStats, schemaHasData, type Generation } from '../projections/stats/statsGenerations.js';
import { STATS_MIGRATIONS } from '../projections/stats/statsMigrations.js';
import { STATS_PROJECTION_NAME, statsProjection } from '../projections/stats/statsOps.js';
import { statsTarget } from '../projections/stats/statsTarget.js';
import { startProjection } from '../projections/runner.js';
import { counting, REDIS_READ_MODELS, type RedisReadModel } from './redisReadModels.js';
import { deleteKeys, modelKeys, swapRedisModel } from './redisSwap.js';
import { SharedLogRead } from '../projections/sharedLogRead.js';
import { logIdentityOf } from '../projections/logIdentity.js';

export const REBUILDABLE = [STATS_PROJECTION_NAME, ...REDIS_READ_MODELS.map((m) => m.name)] as const;

export interface RebuildOptions {
  store: EventStore;
  logger: Logger;
  /** Read models by name (`REBUILDABLE`). */
  models: string[];
  /** Empty a non-empty target first instead of refusing. */
  replace: boolean;
  pool?: pg.Pool;
  statsBase?: string;
  redis?: Redis;
  redisPrefix?: string;
  maxBatch?: number;
  /** false: build and leave the result beside the live models (to compare them), without swapping. */
  swap?: boolean;
  /** Where Redis models are built; default `rebuildPrefixOf(redisPrefix)` (a self-heal builds under its instance's own). */
  rebuildPrefix?: string;
  /** Aborting gives up the rebuild (nothing is swapped). */
  signal?: AbortSignal;
  /** Events of the log read so far (each read once, whatever the number of models). */
  onProgress?: (logEvents: number) => void;
}

export interface RebuildReport {
  built: Array<{ name: string; into: string }>;
  /** Events projected, summed over the models built (an event two models take counts twice). */
  events: number;
  /** Events of the log read. */
  logEvents: number;
  elapsedMs: number;
}

/** The target of a rebuild holds data and `--replace` was not given. */
export class RebuildRefusedError extends Error {
  readonly code = 'REBUILD_TARGET_NOT_EMPTY';
  constructor(target: string) {
    super(`${target} is not empty (an unfinished rebuild?); pass --replace to empty it and build again`);
    this.name = new.target.name;
  }
}

/** Where a Redis rebuild builds: beside the live prefix, never under it, so live globs cannot match it. */
export const rebuildPrefixOf = (livePrefix: string): string => `${livePrefix.replace(/:$/, '')}~rebuild:`;

/**
 * 1. pick fresh storage beside the live one (the next stats generation, a rebuild Redis prefix);
 * 2. refuse a non-empty target unless `replace`; 3. replay every model from the start until caught up, all
 * from one shared read of the log;
 * 4. swap each in atomically once it is at least as far as the live one; 5. stop the rebuild's runners.
 */
export async function rebuild(options: RebuildOptions): Promise<RebuildReport> {
  const started = performance.now();
  const { store, logger, models, replace } = options;
  const controller = new AbortController();
  const giveUp = () => controller.abort();
  options.signal?.addEventListener('abort', giveUp, { once: true });
  if (options.signal?.aborted) controller.abort();
  let events = 0;
  let logEvents = 0;
  const unknown = models.filter((m) => !(REBUILDABLE as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`unknown read model(s): ${unknown.join(', ')}; known: ${REBUILDABLE.join(', ')}`);
  const buildStats = models.includes(STATS_PROJECTION_NAME);
  const redisModels = REDIS_READ_MODELS.filter((m) => models.includes(m.name));
  const args = {
    store: new SharedLogRead(store, (buildStats ? 1 : 0) + redisModels.length, controller.signal, (n) => options.onProgress?.((logEvents += n))),
    logger,
    signal: controller.signal,
    maxBatch: options.maxBatch ?? 2000,
    onCommitted: (n: number) => {
      events += n;
    },
    log: logIdentityOf(store),
  };
  const swaps: Array<() => Promise<void>> = [];
  const runners: ProjectionRunner[] = [];
  const built: RebuildReport['built'] = [];
  try {
    if (buildStats) {
      const { pool, statsBase } = need(options, 'pool', 'statsBase', 'statistics need DATABASE_URL');
      const live = await prepareStats(pool, statsBase);
      const next: Generation = { generation: live.generation + 1, schema: generationSchema(statsBase, live.generation + 1) };
      if (await schemaHasData(pool, next.schema)) {
        if (!replace) throw new RebuildRefusedError(`schema ${next.schema}`);
        await dropSchema(pool, next.schema);
      }
      await applyMigrations(pool, next.schema, STATS_MIGRATIONS);
      runners.push(startProjection({ ...args, projection: statsProjection, target: counting(statsTarget(pool, next.schema, { keepStateInMemory: true }), args.onCommitted) }));
      swaps.push(() => swapStats(pool, statsBase, next, controller.signal));
      built.push({ name: STATS_PROJECTION_NAME, into: next.schema });
    }
    if (redisModels.length > 0) {
      const { redis, redisPrefix } = need(options, 'redis', 'redisPrefix', 'Redis read models need REDIS_URL');
      const prefix = options.rebuildPrefix ?? rebuildPrefixOf(redisPrefix);
      for (const model of redisModels) {
        const leftovers = await modelKeys(redis, model, prefix);
        if (leftovers.length > 0) {
          if (!replace) throw new RebuildRefusedError(`Redis keys ${prefix}… of ${model.name} (${leftovers.length})`);
          await deleteKeys(redis, leftovers);
        }
        runners.push(model.start(redis, prefix, args));
        swaps.push(() => swapRedis(redis, model, redisPrefix, prefix, controller.signal));
        built.push({ name: model.name, into: prefix });
      }
    }
    await Promise.all(runners.map((r) => r.caughtUp));
    if (options.swap !== false) for (const swap of swaps) await swap();
    return { built, events, logEvents, elapsedMs: performance.now() - started };
  } finally {
    options.signal?.removeEventListener('abort', giveUp);
    controller.abort();
    await Promise.allSettled(runners.map((r) => r.done));
  }
}

function need<K extends keyof RebuildOptions, L extends keyof RebuildOptions>(
  options: RebuildOptions,
  a: K,
  b: L,
  why: string,
): { [P in K | L]-?: NonNullable<RebuildOptions[P]> } {
  const x = options[a];
  const y = options[b];
  if (x === undefined || y === undefined) throw new Error(why);
  return { [a]: x, [b]: y } as { [P in K | L]-?: NonNullable<RebuildOptions[P]> };
}

const SWAP_ATTEMPTS = 100;

/** The live runner may be ahead for a moment; the rebuild's (now live) runner catches up, then we swap. */
async function swapStats(pool: pg.Pool, base: string, next: Generation, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
    const live = await activeGeneration(pool, base);
    const [liveAt, nextAt] = await Promise.all([live ? checkpointOf(pool, live.schema) : undefined, checkpointOf(pool, next.schema)]);
    if (liveAt === undefined || (nextAt !== undefined && nextAt >= liveAt)) return activate(pool, base, next);
    await abortableSleep(100, signal);
  }
  throw new Error(`the rebuilt statistics in ${next.schema} did not catch up with the live generation; not swapped`);
}

async function swapRedis(redis: Redis, model: RedisReadModel, live: string, rebuilt: string, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
    const result = await swapRedisModel(redis, model, live, rebuilt);
    if (result !== 0) return;
    await abortableSleep(100, signal);
  }
  throw new Error(`the rebuilt ${model.name} did not catch up with the live one; not swapped`);
}

async function checkpointOf(pool: pg.Pool, schema: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ position: string }>(`SELECT position FROM ${quoteIdent(schema)}.checkpoints WHERE name = $1`, [STATS_PROJECTION_NAME]);
  return rows[0]?.position || undefined;
}
