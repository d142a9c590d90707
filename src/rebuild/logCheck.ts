import type { Redis } from 'ioredis';
import type { EventStore, Position } from '../eventstore/port.js';
import { builtFromAnotherLog, logIdentityOf, type LogIdentity } from '../projections/logIdentity.js';
import type { RedisReadModel } from './redisReadModels.js';

const DROP_IF_UNCHANGED = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Whether a shared model in Redis was built from this log: a checkpoint beyond the log's last event, or the
 * identity of another log stored beside it (src/projections/logIdentity.ts), says it was not. Answers why, or
 * undefined.
 */
export class LogCheck {
  /** This log's identity, read once: the runners store it with every commit. */
  readonly identity: LogIdentity;
  private readonly checkpointKey: string;
  private readonly identityKey: string;

  constructor(
    private readonly store: EventStore,
    private readonly redis: Redis,
    prefix: string,
    model: RedisReadModel,
  ) {
    this.identity = logIdentityOf(store);
    this.checkpointKey = `${prefix}${model.checkpointSuffix}`;
    this.identityKey = `${prefix}${model.logSuffix}`;
  }

  /** The stored checkpoint and the identity of the log the model was built from, in one round trip. */
  async stored(): Promise<{ checkpoint: Position | undefined; builtFrom: string | undefined }> {
    const [checkpoint, builtFrom] = await this.redis.mget(this.checkpointKey, this.identityKey);
    return { checkpoint: (checkpoint ?? undefined) as Position | undefined, builtFrom: builtFrom ?? undefined };
  }

  /**
   * Another log's identity is a loss. None beside a checkpoint is a model built before identities were kept:
   * not a loss, and with `adopt` this log's is written (unless a commit wrote one meanwhile), as every commit
   * also does, so an upgrade rebuilds nothing.
   */
  async builtFrom(stored: string | undefined, adopt: boolean): Promise<string | undefined> {
    const ours = await this.identity.current();
    if (stored !== undefined) return stored === ours ? undefined : builtFromAnotherLog(stored, ours);
    if (adopt && ours !== undefined) await this.redis.set(this.identityKey, ours, 'NX');
    return undefined;
  }

  /**
   * A stored checkpoint beyond the log's last event was written from another log (a different Redis, or the
   * log restored from an older backup). It is dropped (unless it moved meanwhile), so that the heal's swap,
   * which never moves a checkpoint backwards, takes the model rebuilt from this log. Not on EventStoreDB: its
   * subscriptions may checkpoint at system events, past the last event readAll shows.
   */
  async aheadOfLog(stored: Position): Promise<string | undefined> {
    if (this.store.kind === 'esdb') return undefined;
    let head: Position | undefined;
    for await (const event of this.store.readAll({ direction: 'backwards', maxCount: 1 })) head = event.position;
    if (head !== undefined && stored <= head) return undefined;
    await this.redis.eval(DROP_IF_UNCHANGED, 1, this.checkpointKey, stored);
    return `its checkpoint ${stored} is ahead of the log (${head ?? 'empty'}): written from another log`;
  }
}
