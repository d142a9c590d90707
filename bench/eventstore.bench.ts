/**
 * Event store throughput on this machine, next to the reference figures (research notes §5, 2-core box).
 * `npm run bench:eventstore`; DATABASE_URL picks the PostgreSQL server, BENCH_PHASE_MS the length of the
 * timed phases (default 3000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { silentLogger } from '../src/logging.js';
import { openPgliteEventStore } from '../src/eventstore/postgres/pglite.js';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore, NewEvent } from '../src/eventstore/port.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 3000);
const BATCH = 20;

interface Reference {
  single: string;
  batched: string;
  catchUp: string;
}
interface Figures {
  single: number;
  batched: number;
  firstRead: number;
  subscription: number;
  readAll: number;
  logSize: number;
}

function event(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'MeetingParticipantsChanged',
    data: { tenant: 'acme', meetingId: `m-${n % 500}`, node: `node-${n % 7}`, participants: n % 80, voice: n % 13 },
    metadata: {
      actor: 'saga:node-poller',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      at: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms);

async function singleAppends(store: EventStore): Promise<number> {
  const stream = `meeting-single-${randomUUID().slice(0, 8)}`;
  let expected: bigint | 'no_stream' = 'no_stream';
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < PHASE_MS) {
    expected = (await store.append(stream, [event(count)], { expectedRevision: expected })).nextExpectedRevision;
    count += 1;
  }
  return perSecond(count, performance.now() - started);
}

async function batchedAppends(store: EventStore): Promise<number> {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < PHASE_MS) {
    const stream = `meeting-batch-${count % 100}`;
    await store.append(stream, Array.from({ length: BATCH }, (_, i) => event(count + i)));
    count += BATCH;
  }
  return perSecond(count, performance.now() - started);
}

async function catchUpBySubscription(store: EventStore): Promise<{ rate: number; count: number }> {
  const controller = new AbortController();
  let count = 0;
  const started = performance.now();
  for await (const message of store.subscribe({ from: 'start', signal: controller.signal })) {
    if (message.kind === 'event') count += 1;
    if (message.kind === 'caughtUp') break;
  }
  controller.abort();
  return { rate: perSecond(count, performance.now() - started), count };
}

async function catchUpByReadAll(store: EventStore): Promise<number> {
  let count = 0;
  const started = performance.now();
  for await (const _ of store.readAll()) count += 1;
  return perSecond(count, performance.now() - started);
}

async function measure(name: string, store: EventStore): Promise<Figures> {
  const step = (text: string) => console.log(`  ${name}: ${text}`);
  step(`single-event appends with expected revision, ${PHASE_MS} ms …`);
  const single = await singleAppends(store);
  step(`${single} appends/s`);
  step(`batched appends (${BATCH}/append), ${PHASE_MS} ms …`);
  const batched = await batchedAppends(store);
  step(`${batched} events/s`);
  // The first scan after a bulk load also writes hint bits into every page; a rebuild reads settled data.
  step('first readAll after the load (also sets hint bits) …');
  const firstRead = await catchUpByReadAll(store);
  step(`${firstRead} events/s`);
  step('catch-up subscription from start to caughtUp …');
  const sub = await catchUpBySubscription(store);
  step(`${sub.rate} events/s over ${sub.count} events`);
  step('readAll forwards from start …');
  const readAll = await catchUpByReadAll(store);
  step(`${readAll} events/s`);
  return { single, batched, firstRead, subscription: sub.rate, readAll, logSize: sub.count };
}

async function benchPostgres(): Promise<Figures> {
  const schema = `es_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const store = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
  try {
    return await measure('postgres', store);
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

async function benchPglite(): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'bbb-ledger-bench-'));
  console.log('  pglite: creating a fresh data directory (initdb takes a few seconds) …');
  const store = await openPgliteEventStore({ dataDir: dir, logger: silentLogger });
  try {
    return await measure('pglite', store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function report(name: string, f: Figures, ref: Reference): void {
  const rows: [string, number, string, string][] = [
    ['single appends/s (expected revision)', f.single, ref.single, 'appends/s'],
    [`batched events/s (${BATCH}/append)`, f.batched, ref.batched, 'events/s'],
    ['first read after load events/s', f.firstRead, ref.catchUp, 'events/s'],
    ['catch-up subscription events/s', f.subscription, ref.catchUp, 'events/s'],
    ['catch-up readAll events/s', f.readAll, ref.catchUp, 'events/s'],
  ];
  console.log(`\n${name} (log of ${f.logSize} events at catch-up)`);
  for (const [label, value, reference] of rows) {
    const low = Number(reference.replace(/[~k,]/g, '').split(/[–-]/)[0]) * (reference.includes('k') ? 1000 : 1);
    console.log(`  ${label.padEnd(40)} ${String(value).padStart(8)}   reference ${reference.padEnd(10)} ratio ${(value / low).toFixed(2)}`);
  }
}

console.log(`event store benchmark: Node ${process.version}, phases of ${PHASE_MS} ms`);
console.log('PostgreSQL at', DATABASE_URL.replace(/\/\/[^@]*@/, '//…@'));
const postgres = await benchPostgres();
const pglite = await benchPglite();
report('PostgreSQL', postgres, { single: '1.3k', batched: '37k', catchUp: '390k' });
report('PGlite', pglite, { single: '1.3k–1.7k', batched: '16k–21k', catchUp: '~92k' });
