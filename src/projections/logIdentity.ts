import type { EventStore } from '../eventstore/port.js';

/**
 * Which log a shared read model was built from: its first event's id and when it was recorded, stored beside
 * the model's checkpoint (`<prefix>log:<model>`) by every commit (targets/redisTarget.ts). A different Redis
 * (restored from staging, another deployment's) holds another identity even where its checkpoint is at or
 * behind our log's head, and is rebuilt rather than continued (src/rebuild/selfHealing.ts). The id alone could
 * repeat between logs (ids derive from command ids, some deterministic); the time makes two logs differ.
 */
export interface LogIdentity {
  /** The identity of this log, or undefined while it shows no event (an empty log has none yet). */
  current(): Promise<string | undefined>;
}

/** The key, relative to the prefix, of the identity of the log the model was built from. */
export const logIdentitySuffix = (name: string): string => `log:${name}`;

/**
 * Reads the log's first event once, the first time it exists: a log's first event never changes, so every
 * later call costs nothing. EventStoreDB's `readAll` never shows system events (port.ts), which come and go.
 */
export function logIdentityOf(store: Pick<EventStore, 'readAll'>): LogIdentity {
  let known: string | undefined;
  return {
    async current() {
      if (known !== undefined) return known;
      for await (const first of store.readAll({ direction: 'forwards', maxCount: 1 })) known = `${first.id}@${first.recordedAt.toISOString()}`;
      return known;
    },
  };
}

/** Why a model holding `stored` is not this log's, whose identity is `ours` ('' or undefined: this log shows no event). */
export const builtFromAnotherLog = (stored: string, ours: string | undefined): string => `it was built from another log (${stored} ≠ ${ours || 'an empty log'})`;
