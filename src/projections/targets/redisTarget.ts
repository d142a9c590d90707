import type { Redis } from 'ioredis';
import type { Position } from '../../eventstore/port.js';
import type { CheckpointTarget, ProjectedBatch } from '../projection.js';

/** One Redis command as it would be typed: name first, then its arguments. */
export type RedisCommand = [name: string, ...args: string[]];

/**
 * Applies the commands of entries after the stored checkpoint and moves it, in one script, so no other
 * client can see (or write) a half-applied batch. ARGV: checkpoint, then per entry its position, command
 * count, and per command its argument count and arguments. Positions compare as strings.
 */
const COMMIT_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if stored and stored >= ARGV[1] then return 0 end
local i = 2
local applied = 0
while i <= #ARGV do
  local fresh = (not stored) or ARGV[i] > stored
  local count = tonumber(ARGV[i + 1])
  i = i + 2
  for _ = 1, count do
    local n = tonumber(ARGV[i])
    if fresh then redis.call(unpack(ARGV, i + 1, i + n)) end
    i = i + 1 + n
  end
  if fresh then applied = applied + 1 end
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
    const args: string[] = [batch.checkpoint];
    for (const entry of batch.entries) {
      const commands = this.toCommands(entry.ops);
      args.push(entry.position, String(commands.length));
      for (const command of commands) args.push(String(command.length), ...command);
    }
    await this.redis.eval(COMMIT_SCRIPT, 1, this.checkpointKey, ...args);
  }
}
