import type { Redis } from 'ioredis';
import type { EventStore, SubscriptionFilter } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { READ_MODELS, type AnyReadModel, type ReadModelDefinition } from '../projections/readModels.js';
import { startProjection, type ProjectionRunner } from '../projections/runner.js';
import type { CheckpointTarget } from '../projections/projection.js';
import { censusSuffix, shapeMarkerSuffix, type SharedShape } from '../projections/sharedShape.js';
import { logIdentitySuffix, type LogIdentity } from '../projections/logIdentity.js';

export interface RunnerArgs {
  store: Pick<EventStore, 'subscribe'>;
  logger: Logger;
  signal: AbortSignal;
  maxBatch: number;
  /** Told the number of events each commit applied (for a progress bar). */
  onCommitted: (events: number) => void;
  /** The identity of the log it projects, stored with every checkpoint (src/projections/logIdentity.ts). */
  log: LogIdentity;
}

/** A Redis read model a rebuild can rebuild: how to run it under any prefix, and which keys are its own. */
export interface RedisReadModel {
  name: string;
  /** The events its projection takes. */
  filter: SubscriptionFilter;
  /** Globs relative to the prefix, the checkpoint key and shape marker included: exactly this model's keys. */
  keyPatterns: string[];
  checkpointSuffix: string;
  /** Its census (sharedShape.ts): the size of each index as of the checkpoint. */
  censusSuffix: string;
  /** The identity of the log it was built from (logIdentity.ts), stored with its checkpoint. */
  logSuffix: string;
  /** The shape this code writes and reads, its marker's key (relative to the prefix) and its record check. */
  shape: Pick<SharedShape<unknown>, 'version' | 'recordPattern' | 'decode' | 'indexed'> & { markerSuffix: string };
  start(redis: Redis, prefix: string, args: RunnerArgs): ProjectionRunner;
}

function redisModel<M, Op>({ projection, shared }: ReadModelDefinition<M, Op> & { shared: SharedShape<Op> }): RedisReadModel {
  const checkpointSuffix = `checkpoint:${projection.name}`;
  const markerSuffix = shapeMarkerSuffix(projection.name);
  const census = censusSuffix(projection.name);
  const logSuffix = logIdentitySuffix(projection.name);
  return {
    name: projection.name,
    filter: projection.filter,
    keyPatterns: [...shared.keyPatterns, checkpointSuffix, markerSuffix, census, logSuffix],
    checkpointSuffix,
    censusSuffix: census,
    logSuffix,
    shape: { version: shared.version, recordPattern: shared.recordPattern, decode: shared.decode, indexed: shared.indexed, markerSuffix },
    start: (redis, prefix, { store, logger, signal, maxBatch, onCommitted, log }) =>
      startProjection({ store, projection, target: counting(shared.target(redis, prefix, log), onCommitted), logger, signal, maxBatch }),
  };
}

/** Passes commits through, counting the events they carry. */
export function counting<Op>(target: CheckpointTarget<Op>, onCommitted: (events: number) => void): CheckpointTarget<Op> {
  return {
    loadCheckpoint: () => target.loadCheckpoint(),
    async commit(batch) {
      await target.commit(batch);
      onCommitted(batch.entries.length);
    },
  };
}

/** Every registered read model that is shared in Redis (src/projections/readModels.ts), in registry order. */
export const REDIS_READ_MODELS: readonly RedisReadModel[] = Object.values(READ_MODELS).flatMap((definition: AnyReadModel) =>
  definition.shared ? [redisModel({ ...definition, shared: definition.shared })] : [],
);
