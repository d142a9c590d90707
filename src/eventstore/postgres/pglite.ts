import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import type { Logger } from '../../logging.js';
import { lockDataDir } from './dataDirLock.js';
import { PostgresEventStore } from './postgresEventStore.js';

export interface PgliteEventStoreOptions {
  /** Directory of the embedded database; created if missing, kept across restarts. */
  dataDir: string;
  schema?: string;
  logger: Logger;
  /** A PGlite the caller owns (tests share one per file); the store then leaves it open on close. */
  pglite?: PGlite;
}

/**
 * The embedded store: the same SQL as PostgreSQL, through PGlite's in-process node-postgres adapter.
 * One connection (pool size 1), so no LISTEN client: this process is the only writer and its own
 * append signal wakes every subscription.
 */
export async function openPgliteEventStore(options: PgliteEventStoreOptions): Promise<PostgresEventStore> {
  let db = options.pglite;
  let unlock: (() => Promise<void>) | undefined;
  if (!db) {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
    try {
      db = await PGlite.create(options.dataDir);
    } catch (error) {
      await unlock();
      throw error;
    }
  }
  const owned = options.pglite ? undefined : db;
  // Every client of this pool shares one in-process connection, so the pool must never end a client on
  // its own (an idle timeout would) while another could start: exactly one, kept for the store's life.
  const pool = new pg.Pool({ ...createPgConfig(db), max: 1, idleTimeoutMillis: 0 });
  const opened = PostgresEventStore.openWith({
    kind: 'pglite',
    pool,
    schema: options.schema ?? 'public',
    logger: options.logger,
    listen: false,
    release: async () => {
      await pool.end();
      await owned?.close();
      await unlock?.();
    },
  });
  // A store that failed to open (its schema, say) must not keep the directory locked for this process's life.
  return opened.catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    await owned?.close().catch(() => undefined);
    await unlock?.();
    throw error;
  });
}
