import type { Redis } from 'ioredis';
import type { Position } from '../../eventstore/port.js';
import { builtFromAnotherLog, type LogIdentity } from '../logIdentity.js';
import { ReadModelLostError, type CheckpointTarget, type ProjectedBatch } from '../projection.js';
import { CENSUS_CHECKPOINT_FIELD } from '../sharedShape.js';

/** One Redis command as it would be typed: name first, then its arguments. */
export type RedisCommand = [name: string, ...args: string[]];

/**
 * Applies the commands of entries after the stored checkpoint and moves it, in one script, so no other
 * client can see (or write) a half-applied batch. ARGV[3] is the checkpoint the runner last saw stored (or
 * empty): a stored checkpoint gone or behind it means the model was lost, and the script returns -1 without
 * writing, rather than lay a batch on a model it no longer extends. ARGV[1] the checkpoint, ARGV[2] the entries as JSON,
 * `[[position, [[command, ...args], ...]], ...]`: one argument instead of one per word keeps the client's
 * encoding cost flat (a rebuild sends thousands of commands per batch). Positions compare as strings. ARGV[4]
 * and ARGV[5], when given, the shape marker's key and version, stored with every checkpoint (sharedShape.ts).
 * ARGV[6] and ARGV[7], when given, the census's key and the model's prefix: after the batch, the size of every
 * set and sorted set it wrote is stored there (field: the key without the prefix; none when empty), with the
 * checkpoint under CENSUS_CHECKPOINT_FIELD, so data deleted while the checkpoint stays is found (src/rebuild/censusCheck.ts).
 * ARGV[8] and ARGV[9], when given, the key of the identity of the log the model was built from and this log's
 * (logIdentity.ts): another identity stored there means the model is another log's, and the script returns it
 * without writing; none is written with the checkpoint (a model built before identities were kept is adopted).
 */
const COMMIT_SCRIPT = `
if ARGV[9] ~= '' then
  local built = redis.call('GET', ARGV[8])
  if built and built ~= ARGV[9] then return built end
end
local stored = redis.call('GET', KEYS[1])
if ARGV[3] ~= '' and ((not stored) or stored < ARGV[3]) then return -1 end
if stored and stored >= ARGV[1] then return 0 end
local applied = 0
local counted = {}
local sizes = { SADD = 'SCARD', SREM = 'SCARD', ZADD = 'ZCARD', ZREM = 'ZCARD' }
for _, entry in ipairs(cjson.decode(ARGV[2])) do
  if (not stored) or entry[1] > stored then
    for _, command in ipairs(entry[2]) do
      redis.call(unpack(command))
      local size = sizes[string.upper(command[1])]
      if size then counted[command[2]] = size end
    end
    applied = applied + 1
  end
end
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[4] ~= '' then redis.call('SET', ARGV[4], ARGV[5]) end
if ARGV[9] ~= '' then redis.call('SET', ARGV[8], ARGV[9]) end
if ARGV[6] ~= '' then
  for key, size in pairs(counted) do
    local n = redis.call(size, key)
    local field = string.sub(key, #ARGV[7] + 1)
    if n > 0 then redis.call('HSET', ARGV[6], field, n) else redis.call('HDEL', ARGV[6], field) end
  end
  redis.call('HSET', ARGV[6], '${CENSUS_CHECKPOINT_FIELD}', ARGV[1])
end
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
    /** The shape marker stored with the checkpoint; absent for a target that is no shared read model (tests). */
    private readonly shape?: { key: string; version: number },
    /** Where the sizes of the model's sets are kept, and the prefix their fields are relative to (as above). */
    private readonly census?: { key: string; prefix: string },
    /** Where the identity of the log the model was built from is kept, and this log's (as above). */
    private readonly log?: { key: string; identity: LogIdentity },
  ) {}

  async loadCheckpoint(): Promise<Position | undefined> {
    const stored = await this.redis.get(this.checkpointKey);
    return stored === null ? undefined : (stored as Position);
  }

  async commit(batch: ProjectedBatch<Op>): Promise<void> {
    const entries = batch.entries.map((entry) => [entry.position, this.toCommands(entry.ops)]);
    const ours = (await this.log?.identity.current()) ?? '';
    const shape = [this.shape?.key ?? '', String(this.shape?.version ?? '')];
    const census = [this.census?.key ?? '', this.census?.prefix ?? ''];
    const applied = await this.redis.eval(COMMIT_SCRIPT, 1, this.checkpointKey, batch.checkpoint, JSON.stringify(entries), batch.after ?? '', ...shape, ...census, this.log?.key ?? '', ours);
    if (applied === -1) throw new ReadModelLostError(this.checkpointKey, batch.after);
    if (typeof applied === 'string') throw new ReadModelLostError(this.checkpointKey, batch.after, builtFromAnotherLog(applied, ours));
  }
}

