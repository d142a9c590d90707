import type { Redis } from 'ioredis';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import { meetingListProjection } from '../projections/meetingList.js';
import { RedisMeetingList } from '../projections/meetingListRedis.js';
import { nodeListProjection } from '../projections/nodeList.js';
import { RedisNodeList } from '../projections/nodeListRedis.js';
import { startProjection, type ProjectionRunner } from '../projections/runner.js';
import type { CheckpointTarget, ProjectionDefinition } from '../projections/projection.js';

export interface RunnerArgs {
  store: Pick<EventStore, 'subscribe'>;
  logger: Logger;
  signal: AbortSignal;
  maxBatch: number;
  /** Told the number of events each commit applied (for a progress bar). */
  onCommitted: (events: number) => void;
}

/** A Redis read model a rebuild can rebuild: how to run it under any prefix, and which keys are its own. */
export interface RedisReadModel {
  name: string;
  /** Globs relative to the prefix, the checkpoint key included: exactly this model's keys. */
  keyPatterns: string[];
  checkpointSuffix: string;
  start(redis: Redis, prefix: string, args: RunnerArgs): ProjectionRunner;
}

function model<Op>(
  name: string,
  projection: ProjectionDefinition<Op>,
  target: (redis: Redis, prefix: string) => CheckpointTarget<Op>,
  keyPatterns: string[],
): RedisReadModel {
  const checkpointSuffix = `checkpoint:${projection.name}`;
  return {
    name,
    keyPatterns: [...keyPatterns, checkpointSuffix],
    checkpointSuffix,
    start: (redis, prefix, { store, logger, signal, maxBatch, onCommitted }) =>
      startProjection({ store, projection, target: counting(target(redis, prefix), onCommitted), logger, signal, maxBatch }),
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

export const REDIS_READ_MODELS: readonly RedisReadModel[] = [
  model('nodeList', nodeListProjection, (redis, prefix) => new RedisNodeList(redis, prefix).target, ['nodes', 'node:*']),
  model('meetingList', meetingListProjection, (redis, prefix) => new RedisMeetingList(redis, prefix).target, ['meeting:*', 'meetings:*']),
];
