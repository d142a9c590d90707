import type { Redis } from 'ioredis';
import type { RedisReadModel } from './redisReadModels.js';
import { deleteKeys, globEscape, modelKeys } from './redisSwap.js';

/** How long a heal's owner key lives unless refreshed, and how long a heal prefix's checkpoints must have idled before a sweep takes it. */
export const HEAL_OWNER_TTL_MS = 60_000;

/** Every heal prefix beside `livePrefix` (`healPrefixOf`) matches this glob; the live one's globs never do. */
const healGlob = (livePrefix: string): string => `${globEscape(livePrefix.replace(/:$/, ''))}~heal-*`;

/** The key that says a heal of `model` under `healPrefix` runs: none of the model's globs match it, so no swap moves it. */
const ownerKey = (healPrefix: string, model: RedisReadModel): string => `${healPrefix}owner:${model.name}`;

/**
 * Marks a heal of `model` under `healPrefix` as running, the mark refreshed every third of `ttlMs` until
 * released. A process killed mid-heal stops refreshing, so its mark expires and `sweepHealLeftovers` may take
 * what it left. `release` deletes the heal's keys left beside the live model (none after a swap), then the mark.
 */
export async function holdHeal(redis: Redis, healPrefix: string, model: RedisReadModel, ttlMs: number): Promise<{ release(): Promise<void> }> {
  const key = ownerKey(healPrefix, model);
  await redis.set(key, String(process.pid), 'PX', ttlMs);
  const timer = setInterval(() => void redis.set(key, String(process.pid), 'PX', ttlMs).catch(() => undefined), Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await deleteKeys(redis, await modelKeys(redis, model, healPrefix));
      await redis.del(key);
    },
  };
}

/**
 * Deletes what heals beside `livePrefix` left when their process died mid-heal: every heal prefix with no
 * owner mark (holdHeal) whose checkpoints (a rebuild moves them with every batch) have idled at least
 * `staleMs` — the idle guard spares a heal by a version that kept no mark. Returns the prefixes swept.
 */
export async function sweepHealLeftovers(redis: Redis, livePrefix: string, staleMs: number): Promise<string[]> {
  const byPrefix = new Map<string, string[]>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', healGlob(livePrefix), 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const prefix = key.slice(0, key.indexOf(':', livePrefix.replace(/:$/, '').length) + 1);
      if (prefix === '') continue;
      const found = byPrefix.get(prefix) ?? [];
      found.push(key);
      byPrefix.set(prefix, found);
    }
  } while (cursor !== '0');
  const swept: string[] = [];
  for (const [prefix, keys] of byPrefix) {
    if (keys.some((k) => k.startsWith(`${prefix}owner:`))) continue;
    if (!(await idledFor(redis, keys.filter((k) => k.startsWith(`${prefix}checkpoint:`)), staleMs))) continue;
    await deleteKeys(redis, keys);
    swept.push(prefix);
  }
  return swept;
}

/** Whether every key idled at least `ms` (OBJECT IDLETIME, in seconds; unavailable under an LFU policy: then only the owner mark decides). */
async function idledFor(redis: Redis, keys: string[], ms: number): Promise<boolean> {
  for (const key of keys) {
    const idle = await (redis.object('IDLETIME', key) as Promise<number | null>).catch(() => undefined);
    if (idle === undefined) return true;
    if (idle !== null && idle * 1000 < ms) return false;
  }
  return true;
}
