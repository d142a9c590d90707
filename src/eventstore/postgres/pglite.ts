import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import type { Logger } from '../../logging.js';
import { lockDataDir } from './dataDirLock.js';
import { PostgresEventStore } from './postgresEventStore.js';

/**
 * PostgreSQL's defaults are sized for a server with its own machine; in this process they are resident memory
 * (PGlite's wasm heap): 128 MB of shared buffers alone. An event log read mostly in order needs little cache.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB', '-c', 'work_mem=2MB', '-c', 'maintenance_work_mem=16MB'];

/**
 * PGlite's start leaves a few hundred MB of garbage (its file-system bundle, start-up buffers) that V8 keeps
 * while the process idles: one full collection right after start returns it. `--expose-gc` is set for a new
 * context only, the documented way to reach `gc` without a command-line flag; if that ever fails, only
 * memory is lost.
 */
const START_GARBAGE_SECOND_PASS_MS = 5000;

function collectStartGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // no gc to call: the garbage goes whenever V8 decides
  }
}

/**
 * The embedded shape's memory (docs/decisions.md, "The embedded shape's memory"), set when this process opens
 * its own PGlite:
 * - V8 compiles PGlite's wasm module (PostgreSQL) with its baseline compiler, then again, hot function by hot
 *   function, with its optimising one; the second compilation leaves ~50 MB of malloc'd memory resident for the
 *   life of the process. Baseline code alone costs ~10 % on PGlite's inserts and reads. Set before the module
 *   compiles (PGlite.create); it touches only WebAssembly, which nothing else here uses.
 * - The old generation may grow to 1.3× what survived the last full collection instead of the start script's 2×:
 *   V8 reads the factor at every full collection. The server shapes keep 2× for create throughput; here the
 *   heap shares the process with the database.
 */
const EMBEDDED_V8_FLAGS = ['--liftoff-only', '--heap-growing-percent=30'];

function sizeForEmbedded(): void {
  for (const flag of EMBEDDED_V8_FLAGS) setFlagsFromString(flag);
}

/**
 * Creates the database cluster (PGlite's initdb) in a short-lived child process when the directory has none.
 * initdb's wasm module and buffers stay resident for the life of the process that ran it (~150 MB, a full GC
 * and reopening do not return them), so the server process only ever opens an existing directory: its first
 * start then costs what a restart costs.
 */
const INITDB_SCRIPT = `const [url, dataDir, params] = process.argv.slice(1);
const { PGlite } = await import(url);
const db = await PGlite.create(dataDir, { startParams: JSON.parse(params) });
await db.close();`;

async function initdbInChild(dataDir: string): Promise<void> {
  const exists = await access(join(dataDir, 'PG_VERSION')).then(() => true, () => false);
  if (exists) return;
  const args = ['--input-type=module', '-e', INITDB_SCRIPT, import.meta.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(PGLITE_START_PARAMS)];
  try {
    await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-3).join(' ');
    throw new Error(`could not create the embedded database in ${dataDir} (PGlite's initdb in a child process failed: ${stderr || String(error)}); check that the directory is writable and has free space`, { cause: error });
  }
}

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
      await initdbInChild(options.dataDir);
      sizeForEmbedded();
      db = await PGlite.create(options.dataDir, { startParams: PGLITE_START_PARAMS });
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
  return opened.then(
    (store) => {
      if (owned) {
        setImmediate(collectStartGarbage);
        // Once more after the read models' first catch-up, whose buffers are garbage from then on.
        setTimeout(collectStartGarbage, START_GARBAGE_SECOND_PASS_MS).unref();
      }
      return store;
    },
    async (error: unknown) => {
    await pool.end().catch(() => undefined);
    await owned?.close().catch(() => undefined);
      await unlock?.();
      throw error;
    },
  );
}
