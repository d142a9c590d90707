import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * An md5 over keys (relative to `prefix`) and their values in a type-aware, sorted form, so two prefixes
 * compare by content: strings, hashes (fields sorted), sets (sorted), sorted sets (with scores), lists.
 */
export async function digestRedisKeys(redis: Redis, prefix: string, keys: string[]): Promise<string> {
  const hash = createHash('md5');
  for (const key of [...keys].sort()) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = Object.entries(await redis.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    else if (type === 'set') value = (await redis.smembers(key)).sort();
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else value = type;
    hash.update(`${key.slice(prefix.length)}\u0000${type}\u0000${JSON.stringify(value)}\n`);
  }
  return `${keys.length}:${hash.digest('hex')}`;
}
