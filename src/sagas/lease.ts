import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import pg from 'pg';

/** One named lease: at most one instance holds it at a time. Never throws: an error means "not held". */
export interface Lease {
  /** True when this instance holds the lease now (taken, or still ours). */
  acquire(): Promise<boolean>;
  /** Extends it; false once it is not ours any more (expired and taken, or its connection lost it). */
  renew(): Promise<boolean>;
  /** Lets another instance take it at once (a clean stop). */
  release(): Promise<void>;
}

export interface LeaseProvider {
  /** `redis`, `postgres` or `in-process`, for the log. */
  readonly kind: string;
  lease(name: string): Lease;
  /** Releases what the provider owns (Postgres connections); the Redis client is the caller's. */
  close(): Promise<void>;
}

/** Who holds a lease: readable in Redis (`GET`) by an operator wondering which instance polls. */
export function leaseOwnerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

const RENEW_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** `SET <prefix>lease:<name> <owner> NX PX ttl`, renewed by a compare-and-extend script, released by compare-and-delete. */
export function redisLeases(redis: Redis, prefix: string, owner: string, ttlMs: number): LeaseProvider {
  return {
    kind: 'redis',
    lease(name) {
      const key = `${prefix}lease:${name}`;
      const renew = async () => (await redis.eval(RENEW_IF_OURS, 1, key, owner, String(ttlMs))) === 1;
      return {
        acquire: () =>
          redis.set(key, owner, 'PX', ttlMs, 'NX').then(
            (set) => set === 'OK' || renew(),
            () => false,
          ),
        renew: () => renew().catch(() => false),
        release: async () => {
          await redis.eval(RELEASE_IF_OURS, 1, key, owner).catch(() => undefined);
        },
      };
    },
    close: async () => undefined,
  };
}

/** The first key of the two-key advisory lock: bbb-ledger's leases, apart from anyone else's locks. */
const ADVISORY_CLASS = 0x6262626c; // 'bbbl'

/**
 * `pg_try_advisory_lock` on a dedicated connection per lease: held while the session lives, released by
 * Postgres when it ends. A holder that dies closes its socket; one that is frozen goes idle, and
 * `idle_session_timeout` (the ttl) ends its session, so the lease is taken over either way.
 */
export function postgresLeases(connectionString: string, ttlMs: number): LeaseProvider {
  const clients = new Set<pg.Client>();
  return {
    kind: 'postgres',
    lease(name) {
      let held: { client: pg.Client; pid: number } | undefined;
      const drop = (client: pg.Client) => {
        if (held?.client === client) held = undefined;
        clients.delete(client);
        void client.end().catch(() => undefined);
      };
      return {
        async acquire() {
          if (held) return this.renew();
          const client = new pg.Client({ connectionString, application_name: `bbb-ledger lease ${name}`, connectionTimeoutMillis: ttlMs, query_timeout: ttlMs, keepAlive: true });
          client.on('error', () => drop(client));
          clients.add(client);
          try {
            await client.connect();
            await client.query(`SET idle_session_timeout = ${Math.max(ttlMs, 1000)}`);
            const { rows } = await client.query<{ locked: boolean; pid: number }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked, pg_backend_pid() AS pid', [ADVISORY_CLASS, name]);
            if (rows[0]?.locked !== true) {
              drop(client);
              return false;
            }
            held = { client, pid: rows[0].pid };
            return true;
          } catch {
            drop(client);
            return false;
          }
        },
        async renew() {
          const current = held;
          if (!current) return false;
          try {
            // The same session still answering means the session lock is still ours.
            const { rows } = await current.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
            if (rows[0]?.pid === current.pid) return true;
          } catch {
            // fall through: the session is gone, and the lock with it
          }
          drop(current.client);
          return false;
        },
        async release() {
          if (held) drop(held.client);
        },
      };
    },
    async close() {
      await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
      clients.clear();
    },
  };
}

/** Embedded mode (memory, PGlite): one instance per store anyway, so every lease is always held. */
export function inProcessLeases(): LeaseProvider {
  const held = new Set<string>();
  return {
    kind: 'in-process',
    lease(name) {
      return {
        acquire: async () => {
          if (held.has(name)) return false;
          held.add(name);
          return true;
        },
        renew: async () => held.has(name),
        release: async () => {
          held.delete(name);
        },
      };
    },
    close: async () => held.clear(),
  };
}
