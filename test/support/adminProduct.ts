import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Test } from 'tap';
import { compose, type Composed } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { ADMIN_SECRET, serve } from './httpHarness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The composed product on the memory store with the test admin secret, its read models in process or in Redis
 * under a prefix of its own (deleted at teardown); `env` adds settings. Served for one test.
 */
export async function startAdminProduct(t: Test, readModels: 'in-process' | 'redis', env: Record<string, string> = {}): Promise<{ base: string; composed: Composed }> {
  const prefix = `test:${randomUUID()}:`;
  const config = loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, ...env, ...(readModels === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {}) });
  const composed = await compose(config, silentLogger);
  await composed.start();
  t.teardown(async () => {
    await composed.stop();
    if (readModels === 'redis') {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
  return { base: await serve(t, composed.requestListener), composed };
}
