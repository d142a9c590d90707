import type { Redis } from 'ioredis';
import type { RedisReadModel } from './redisReadModels.js';

/**
 * In one script (so no reader sees a mix): unless the live checkpoint is already ahead of the rebuilt one
 * (and the live model was built from the same log: another log's checkpoint says nothing of ours), delete the
 * model's live keys and rename the rebuilt keys into their place. The live runner then resumes
 * from the rebuilt checkpoint: its commit script skips what the rebuild already applied.
 * Returns 1 swapped, 0 rebuilt model still behind the live one, -1 nothing rebuilt. Single Redis (KEYS).
 */
const SWAP_SCRIPT = `
local live, rebuilt, liveGlob, rebuiltGlob, ckpt, log = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local newCk = redis.call('GET', rebuilt .. ckpt)
if not newCk then return -1 end
local liveCk = redis.call('GET', live .. ckpt)
local liveLog = redis.call('GET', live .. log)
local anotherLog = liveLog and liveLog ~= redis.call('GET', rebuilt .. log)
if liveCk and liveCk > newCk and not anotherLog then return 0 end
for i = 7, #ARGV do
  for _, k in ipairs(redis.call('KEYS', liveGlob .. ARGV[i])) do redis.call('DEL', k) end
end
for i = 7, #ARGV do
  for _, k in ipairs(redis.call('KEYS', rebuiltGlob .. ARGV[i])) do redis.call('RENAME', k, live .. string.sub(k, #rebuilt + 1)) end
end
return 1
`;

export const globEscape = (prefix: string): string => prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export async function swapRedisModel(redis: Redis, model: RedisReadModel, livePrefix: string, rebuiltPrefix: string): Promise<-1 | 0 | 1> {
  const result = await redis.eval(
    SWAP_SCRIPT,
    0,
    livePrefix,
    rebuiltPrefix,
    globEscape(livePrefix),
    globEscape(rebuiltPrefix),
    model.checkpointSuffix,
    model.logSuffix,
    ...model.keyPatterns,
  );
  return result === 1 ? 1 : result === 0 ? 0 : -1;
}

/** Every key of the model under `prefix`, sorted. */
export async function modelKeys(redis: Redis, model: RedisReadModel, prefix: string): Promise<string[]> {
  const keys = new Set<string>();
  for (const pattern of model.keyPatterns) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}${pattern}`, 'COUNT', 1000);
      cursor = next;
      for (const k of found) keys.add(k);
    } while (cursor !== '0');
  }
  return [...keys].sort();
}

export async function deleteKeys(redis: Redis, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
