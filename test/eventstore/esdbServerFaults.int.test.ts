import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import t, { type Test } from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import { InvalidEventError, StreamDeletedError } from '../../src/eventstore/errors.js';
import type { WriteRetryTuning } from '../../src/eventstore/esdb/writeRetry.js';
import { silentLogger } from '../../src/logging.js';
import { EsdbStandIn, type StandInOptions } from '../fixtures/esdbStandIn/standInServer.js';
import type { WriteFault } from '../fixtures/esdbStandIn/faults.js';
import { captureLogger, WARN } from './captureLogger.js';
import { collect, events, newEvent, streamName } from './contract/fixtures.js';

/** Writes against a stand-in that answers as a real server does when it cannot take them right now. */

async function setUp(t: Test, options: StandInOptions = {}, writeRetry?: Partial<WriteRetryTuning>) {
  const standIn = await EsdbStandIn.start(options);
  const { logger, lines } = captureLogger();
  const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger, ...(writeRetry ? { writeRetry } : {}) });
  t.teardown(async () => {
    await store.close();
    await standIn.stop();
  });
  return { standIn, store, warnings: () => lines.filter((l) => l.level === WARN).map((l) => l.msg) };
}

t.test('when the server clock is 10 s ahead of ours', async (t) => {
  const { standIn, store } = await setUp(t, { clockAheadMs: 10_000 });

  t.test('the stand-in fails a BatchAppend whose absolute deadline has passed on its clock, as the server does', async (t) => {
    const client = EventStoreDBClient.connectionString(standIn.connectionString);
    t.teardown(() => client.dispose());
    const error = await client.appendToStream(streamName('raw'), jsonEvent({ type: 'E', data: {} }), { deadline: 5_000 }).catch((e: unknown) => e);
    t.match(error, { type: 'deadline-exceeded' });
  });

  t.test('the adapter appends all the same (unary Append carries a relative timeout)', async (t) => {
    const s = streamName('skew');
    const result = await store.append(s, events('E', 2));
    t.equal(result.nextExpectedRevision, 1n);
  });
});

t.test('when the server cannot take a write right now, the append is retried and stored once', async (t) => {
  const { standIn, store, warnings } = await setUp(t, {}, { initialBackoffMs: 5, maxBackoffMs: 20 });
  const cases: [string, WriteFault[]][] = [
    ['a follower answers not-leader', ['not-leader']],
    ['the server is not ready', ['not-ready']],
    ['the server is too busy', ['busy']],
    ['the server shuts down and cancels the call (24.4+)', ['shutdown']],
    ['the server restarts after storing, before answering', ['restart']],
    ['several in a row', ['not-ready', 'busy', 'not-leader', 'shutdown']],
  ];
  for (const [name, faults] of cases) {
    t.test(name, async (t) => {
      const s = streamName('fault');
      const batch = events('E', 2);
      standIn.failNextWrites(...faults);
      const result = await store.append(s, batch, { expectedRevision: 'no_stream' });
      t.equal(standIn.pendingFaults, 0, 'every fault was met');
      t.equal(result.nextExpectedRevision, 1n);
      t.same((await collect(store.readStream(s))).map((e) => e.id), batch.map((e) => e.id), 'stored exactly once');
      t.ok(warnings().some((m) => m.includes('retrying')), 'the retry was logged');
    });
  }

  t.test('several appends in flight on one stream all land once', async (t) => {
    const s = streamName('inflight');
    const batches = Array.from({ length: 6 }, (_, i) => [newEvent('E', { i })]);
    standIn.failNextWrites('not-leader', 'busy');
    await Promise.all(batches.map((batch) => store.append(s, batch)));
    const stored = (await collect(store.readStream(s))).map((e) => e.id).sort();
    t.same(stored, batches.map(([e]) => e!.id).sort());
  });
});

t.test('when the server stays busy, the append gives up at its deadline with the cause', async (t) => {
  const { standIn, store } = await setUp(t, {}, { deadlineMs: 200, initialBackoffMs: 20, maxBackoffMs: 50 });
  standIn.failNextWrites(...Array<WriteFault>(100).fill('busy'));
  await t.rejects(store.append(streamName('busy'), events('E', 1)), { message: /Too Busy/ });
});

t.test('when a batch is over the server’s 1 MiB append limit it is refused whole', async (t) => {
  const { store } = await setUp(t);
  const s = streamName('big');
  const big = newEvent('Big', { blob: 'x'.repeat(1_100_000) });
  await t.rejects(store.append(s, [big]), InvalidEventError);
  await t.rejects(store.append(s, [newEvent('Small'), big]), { message: /maximum append size \(1048576 bytes\)/ });
  await t.rejects(collect(store.readStream(s)), 'nothing was written');
});

t.test('stream_exists on a tombstoned stream stays StreamDeleted', async (t) => {
  const { store } = await setUp(t);
  const s = streamName('tomb');
  await store.append(s, events('A', 1));
  await store.tombstoneStream(s);
  await t.rejects(store.append(s, events('B', 1), { expectedRevision: 'stream_exists' }), StreamDeletedError);
});

t.test('the server version is checked at connect', async (t) => {
  t.test('one older than the supported range is refused, naming the range', async (t) => {
    const standIn = await EsdbStandIn.start({ version: '22.6.0' });
    t.teardown(() => standIn.stop());
    await t.rejects(EsdbEventStore.connect({ connectionString: standIn.connectionString, logger: silentLogger }), {
      message: /22\.6\.0 is older than this adapter supports \(22\.10 to 25\.1\)/,
    });
  });

  t.test('one newer than the newest checked is used, with a warning', async (t) => {
    const { store, warnings } = await setUp(t, { version: '26.0.0' });
    t.equal(store.server.version, '26.0.0');
    t.match(warnings(), [/26\.0\.0 is newer than the versions this adapter was checked against/]);
  });

  t.test('a supported one is reported with what it sends', async (t) => {
    const { store } = await setUp(t, { version: '22.10.5' });
    t.same(store.server, { version: '22.10.5', sendsCaughtUp: false });
  });
});
