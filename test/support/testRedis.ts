import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Test } from 'tap';

/** The Redis the int tests use (127.0.0.1:6379 on the test machines). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connection and a key prefix only this test uses; every key under it is deleted afterwards (never FLUSHALL). */
export async function redisFor(t: Test): Promise<{ redis: Redis; prefix: string }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `test:${randomUUID()}:`;
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  return { redis, prefix };
}
