/**
 * Resident memory of `npm start` (dist/main.js, compiled from src/main.ts, as a child process, its own RSS from /proc) in two shapes: the
 * embedded default (PGlite, read models in process) and Postgres + Redis. For each: idle on an empty log, then
 * holding BENCH_MEETINGS (10,000) running meetings over BENCH_NODES (1,000) nodes that it polls every
 * POLL_INTERVAL_MS (10 s) — the nodes are bench/fakeFleetServer.ts in its own process, answering exactly our
 * meetings — sampled BENCH_SETTLE_MS (25 s: catch-up and two poll cycles) after it listens; idle BENCH_IDLE_MS (10 s)
 * after. The first start of the embedded shape also creates its database (PGlite's initdb). `npm run bench:memory`.
 * The child runs with the node flags of package.json's `start` script, so the figure is `npm start`'s.
 * BENCH_SHAPES=embedded (or postgres) runs one shape only.
 * BENCH_HEAPSNAPSHOT=<dir>: after sampling, the loaded child also writes a heap snapshot there (`--heapsnapshot-signal`:
 * a full GC, then the live heap; writing it costs RSS of its own); read it with `npx tsx bench/heapSummary.ts <file>`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openPgliteEventStore } from '../src/eventstore/postgres/pglite.js';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../src/eventstore/port.js';
import { silentLogger } from '../src/logging.js';
import { seedFleet } from './seedFleet.js';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 10_000);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 25_000);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SNAPSHOT_DIR = process.env.BENCH_HEAPSNAPSHOT;
/** BENCH_SHAPES=embedded or =postgres: one shape only (both by default). */
const SHAPES = (process.env.BENCH_SHAPES ?? 'embedded,postgres').split(',');
const perNode = Math.ceil(MEETINGS / NODES);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Shape {
  name: string;
  env: Record<string, string>;
  open(): Promise<EventStore>;
  cleanUp(): Promise<void>;
}

async function embedded(): Promise<Shape> {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-memory-'));
  const dataDir = join(dir, 'events');
  return {
    name: 'embedded (PGlite, in-process read models)',
    env: { EVENTSTORE: `pglite:${dataDir}`, BLOB_DIR: join(dir, 'blobs') },
    open: () => openPgliteEventStore({ dataDir, logger: silentLogger }),
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresRedis(): Promise<Shape> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const db = `ledger_memory_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${db}`;
  const prefix = `bench-memory-${randomUUID()}:`;
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-memory-'));
  return {
    name: 'Postgres + Redis',
    env: { EVENTSTORE: url.href, REDIS_URL, REDIS_PREFIX: prefix, BLOB_DIR: join(dir, 'blobs') },
    open: () => PostgresEventStore.open({ connectionString: url.href, logger: silentLogger }),
    async cleanUp() {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// As `npm start` runs it: its prestart compiles src/ to dist/main.js once, then plain node runs that.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

/** `node <flags> dist/main.js` as package.json's start script says (its flags are part of the figure). */
const startScript = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
if (startScript[0] !== 'node' || startScript.at(-1) !== 'dist/main.js') throw new Error(`the start script is not \`node [flags] dist/main.js\`: ${startScript.join(' ')}`);
const startFlags = startScript.slice(1, -1);
const rssMb = async (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

/** Asks the child for a heap snapshot and waits until the file stops growing. */
async function snapshotOf(child: ChildProcess, dir: string): Promise<void> {
  const before = new Set(await readdir(dir));
  child.kill('SIGUSR2');
  let size = -1;
  for (;;) {
    await sleep(2000);
    const file = (await readdir(dir)).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    const now = file ? (await stat(join(dir, file))).size : -1;
    if (file && now === size) return console.log(`heap snapshot: ${join(dir, file)}`);
    size = now;
  }
}

/** `npm start` with `env`: its RSS in MB `afterMs` after it listens (the median of three samples a second apart); stopped with SIGINT. */
async function rssOfMain(env: Record<string, string>, afterMs: number, snapshotDir?: string): Promise<number> {
  return (await sampleMain(env, afterMs, snapshotDir)).rssMb;
}

/**
 * Where the RSS goes, from the child's own `/metrics` (prom-client's process gauges, loopback allowed by default):
 * V8's heap (total and used) and memory outside it (`external`: PGlite's wasm memory is there), in MB.
 */
async function heapOf(origin: string): Promise<string> {
  try {
    const text = await (await fetch(`${origin}/metrics`)).text();
    const mb = (name: string) => (Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20).toFixed(0);
    return `heap ${mb('nodejs_heap_size_used_bytes')} used of ${mb('nodejs_heap_size_total_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`;
  } catch (error) {
    return `no /metrics (${String(error)})`;
  }
}

/** `npm start` with `env`, sampled `afterMs` after it listens: RSS (median of three) and where it goes. */
async function sampleMain(env: Record<string, string>, afterMs: number, snapshotDir?: string): Promise<{ rssMb: number; heap: string }> {
  const diagnostics = snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...startFlags, ...diagnostics, 'dist/main.js'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_JWT_SECRET: 'bench-memory-admin-key-of-32-characters', POLL_INTERVAL_MS: '10000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout! });
  let origin = '';
  for await (const line of lines) {
    const msg = (JSON.parse(line) as { msg?: string }).msg;
    if (msg?.startsWith('listening on')) {
      origin = msg.slice('listening on '.length);
      break;
    }
  }
  lines.close();
  child.stdout!.resume();
  await sleep(afterMs);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(await rssMb(child.pid!));
    await sleep(1000);
  }
  const heap = await heapOf(origin);
  if (snapshotDir) await snapshotOf(child, snapshotDir);
  child.kill('SIGINT');
  await exited;
  return { rssMb: samples.sort((a, b) => a - b)[1]!, heap };
}

const fleet = spawn(process.execPath, ['--import', 'tsx', 'bench/fakeFleetServer.ts', String(NODES), String(perNode), '5', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
const { ports } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: fleet.stdout! }).once('line', resolve))) as { ports: number[] };

for (const make of [embedded, postgresRedis].filter((_, i) => SHAPES.includes(['embedded', 'postgres'][i]!))) {
  const shape = await make();
  try {
    const first = await rssOfMain(shape.env, IDLE_MS);
    const idle = await rssOfMain(shape.env, IDLE_MS);
    const seedStart = performance.now();
    const store = await shape.open();
    await seedFleet(store, NODES, perNode, (n) => `http://127.0.0.1:${ports[n % ports.length]}/n${n}/bigbluebutton/api/`);
    await store.close();
    const seeded = ((performance.now() - seedStart) / 1000).toFixed(0);
    const loaded = await sampleMain(shape.env, SETTLE_MS, SNAPSHOT_DIR);
    const row = `${shape.name}: idle ${idle.toFixed(0)} MB (first start, creating the store: ${first.toFixed(0)} MB); ${NODES * perNode} meetings over ${NODES} nodes ${loaded.rssMb.toFixed(0)} MB (${loaded.heap}; log seeded in ${seeded} s)`;
    console.log(row);
  } finally {
    await shape.cleanUp();
  }
}
fleet.kill();
console.log(`Node ${process.version}, start flags: ${startFlags.join(' ') || 'none'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1, 5, 15 min)`);
