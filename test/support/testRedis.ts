import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Test } from 'tap';

/** The Redis the int tests use (127.0.0.1:6379 on the test machines). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Deletes every key of a test's prefix, and of the heal prefixes beside it (`<prefix>~heal-<instance>:`,
 * src/rebuild/selfHealing.ts), which the prefix's own glob does not match. Never FLUSHALL: the server is shared.
 */
export async function deletePrefixKeys(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}*`, `${prefix.replace(/:$/, '')}~*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  }
}

/** The same on a connection of its own, for tests whose product holds the only other one. */
export async function deletePrefixKeysAt(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  await deletePrefixKeys(redis, prefix);
  await redis.quit();
}

/** A connection and a key prefix only this test uses; every key under it is deleted afterwards (never FLUSHALL). */
export async function redisFor(t: Test): Promise<{ redis: Redis; prefix: string }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `test:${randomUUID()}:`;
  t.teardown(async () => {
    await deletePrefixKeys(redis, prefix);
    redis.disconnect();
  });
  return { redis, prefix };
}
