import t, { type Test } from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import { decodeEsdbPosition } from '../../src/eventstore/esdb/esdbMapping.js';
import type { SubscriptionMessage } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { events, headPosition, newEvent, streamName } from './contract/fixtures.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';

/** Subscriptions against the stand-in answering as server versions whose checkpoints or caughtUp differ. */

async function setUp(t: Test, version: string) {
  const standIn = await EsdbStandIn.start({ version });
  const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger: silentLogger });
  t.teardown(async () => {
    await store.close();
    await standIn.stop();
  });
  return { standIn, store };
}

function subscribe(t: Test, store: EsdbEventStore, options: Parameters<EsdbEventStore['subscribe']>[0]) {
  const reader = new SubscriptionReader((signal) => store.subscribe({ ...options, signal }));
  t.teardown(() => reader.close());
  return reader;
}

const checkpointsOf = (messages: SubscriptionMessage[]) => messages.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));

t.test('a 24.10.4 server sends 2^64−1 as a checkpoint when nothing matched yet: it is never passed on', async (t) => {
  const { standIn, store } = await setUp(t, '24.10.4');
  t.ok(standIn.profile.sendsInvalidCheckpoint);
  await store.append(streamName('noise'), events('Noise', 3));
  const seen = await subscribe(t, store, { from: 'start', filter: { streamPrefixes: [streamName('nothing')] } }).until('caughtUp');
  for (const position of checkpointsOf(seen)) t.ok(decodeEsdbPosition(position).commit < 2n ** 63n, `checkpoint ${position} is a real position`);
  t.same(seen[seen.length - 1]?.kind, 'caughtUp');
});

t.test('a 25.0.0 server sends a checkpoint ahead of an event still to come: no passed-on checkpoint is at or past an undelivered event', async (t) => {
  const { standIn, store } = await setUp(t, '25.0.0');
  t.ok(standIn.profile.sendsEarlyCheckpoint);
  const prefix = streamName('early');
  await store.append(streamName('before'), [newEvent('Before')]);
  const from = await headPosition(store);
  // 32 scanned and filtered out: the server checkpoints at its read position, the next record, which is wanted.
  await store.append(`${prefix}-noise`, events('Noise', 32));
  await store.append(`${prefix}-wanted`, [newEvent('Wanted')]);
  await store.append(`${prefix}-noise`, events('Noise', 40));
  await store.append(`${prefix}-wanted`, [newEvent('Wanted')]);
  const seen = await subscribe(t, store, { from, filter: { streamPrefixes: [`${prefix}-wanted`] } }).until('caughtUp');
  t.equal(eventsOf(seen).length, 2);
  seen.forEach((message, i) => {
    if (message.kind !== 'checkpoint') return;
    const later = eventsOf(seen.slice(i + 1));
    t.ok(later.every((e) => e.position > message.position), `checkpoint #${i} is before every event delivered after it`);
  });
  const last = checkpointsOf(seen).at(-1);
  if (last) {
    await store.append(`${prefix}-wanted`, [newEvent('Live')]);
    const resumed = await subscribe(t, store, { from: last, filter: { streamPrefixes: [`${prefix}-wanted`] } }).until('caughtUp');
    t.ok(eventsOf(resumed).some((e) => e.type === 'Live'), 'resuming from the last checkpoint loses nothing');
  }
});

t.test('a 22.10 server sends no caughtUp: the adapter synthesises it after the history', async (t) => {
  const { store } = await setUp(t, '22.10.5');
  const prefix = streamName('old');
  await store.append(`${prefix}-a`, events('History', 3));
  await store.append(streamName('other'), events('Other', 40));
  const reader = subscribe(t, store, { from: 'start', filter: { streamPrefixes: [prefix] }, checkpointInterval: 16 });
  const seen = await reader.until('caughtUp');
  t.same(eventsOf(seen).map((e) => e.type), ['History', 'History', 'History']);
  t.ok(checkpointsOf(seen).length >= 1, 'the filtered-out history still moves the checkpoint');
  await store.append(`${prefix}-a`, [newEvent('Live')]);
  t.same(eventsOf(await reader.events(1)).map((e) => e.type), ['Live'], 'live events follow, exactly once');
});

t.test('a 22.10 server restarting during the synthesised catch-up: resumes after the last delivered event', async (t) => {
  const { standIn, store } = await setUp(t, '22.10.5');
  const prefix = streamName('oldrestart');
  const batch = Array.from({ length: 30 }, (_, i) => newEvent('Bulk', { i }));
  await store.append(`${prefix}-a`, batch);
  const reader = subscribe(t, store, { from: 'start', filter: { streamPrefixes: [prefix] } });
  const first = eventsOf(await reader.events(5));
  await standIn.restart();
  const rest = await reader.until('caughtUp', 15_000);
  t.same([...first, ...eventsOf(rest)].map((e) => e.id), batch.map((e) => e.id));
});
