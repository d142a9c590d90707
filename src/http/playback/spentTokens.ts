import type { Redis } from 'ioredis';

/**
 * The protected links already opened (Scalelite's one-time tokens): `spend` answers true the first time a
 * token's id is spent, false ever after, until `untilMs` (the token's own expiry) when it is forgotten. Shared
 * by every instance through Redis; in one process otherwise (then a link opens once per instance).
 */
export interface SpentTokens {
  spend(id: string, untilMs: number, nowMs: number): Promise<boolean>;
}

/** Past this many remembered tokens, each spend first forgets the expired ones. */
const SWEEP_ABOVE = 10_000;

export function memorySpentTokens(): SpentTokens {
  const spent = new Map<string, number>();
  return {
    async spend(id, untilMs, nowMs) {
      if (spent.size > SWEEP_ABOVE) for (const [key, until] of spent) if (until <= nowMs) spent.delete(key);
      const until = spent.get(id);
      if (until !== undefined && until > nowMs) return false;
      spent.set(id, untilMs);
      return true;
    },
  };
}

/** `SET <prefix>spentLink:<id> 1 PX <ttl> NX`: one instance wins the first open. */
export function redisSpentTokens(redis: Redis, prefix: string): SpentTokens {
  return {
    async spend(id, untilMs, nowMs) {
      const ttl = Math.max(1, untilMs - nowMs);
      return (await redis.set(`${prefix}spentLink:${id}`, '1', 'PX', ttl, 'NX')) === 'OK';
    },
  };
}
