import type { Redis } from 'ioredis';
import type { Position } from '../../eventstore/port.js';
import type { CheckpointTarget, ProjectedBatch } from '../projection.js';

/** One Redis command as it would be typed: name first, then its arguments. */
export type RedisCommand = [name: string, ...args: string[]];

/**
 * Applies the commands of entries after the stored checkpoint and moves it, in one script, so no other
 * client can see (or write) a half-applied batch. ARGV[1] the checkpoint, ARGV[2] the entries as JSON,
 * `[[position, [[command, ...args], ...]], ...]`: one argument instead of one per word keeps the client's
 * encoding cost flat (a rebuild sends thousands of commands per batch). Positions compare as strings.
 */
const COMMIT_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if stored and stored >= ARGV[1] then return 0 end
local applied = 0
for _, entry in ipairs(cjson.decode(ARGV[2])) do
  if (not stored) or entry[1] > stored then
    for _, command in ipairs(entry[2]) do redis.call(unpack(command)) end
    applied = applied + 1
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return applied
`;

/**
 * A read model in Redis with its checkpoint under `checkpointKey`. The script touches keys it was not
 * told about, which Redis Cluster refuses: give every key of one read model the same `{hash tag}` there.
 */
export class RedisCheckpointTarget<Op> implements CheckpointTarget<Op> {
  constructor(
    private readonly redis: Redis,
    private readonly checkpointKey: string,
    private readonly toCommands: (ops: Op[]) => RedisCommand[],
  ) {}

  async loadCheckpoint(): Promise<Position | undefined> {
    const stored = await this.redis.get(this.checkpointKey);
    return stored === null ? undefined : (stored as Position);
  }

  async commit(batch: ProjectedBatch<Op>): Promise<void> {
    const entries = batch.entries.map((entry) => [entry.position, this.toCommands(entry.ops)]);
    await this.redis.eval(COMMIT_SCRIPT, 1, this.checkpointKey, batch.checkpoint, JSON.stringify(entries));
  }
}
