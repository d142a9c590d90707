import t, { type Test } from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import {
  IdempotencyConflictError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/eventstore/errors.js';
import type { NewEvent } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { collect, events, newEvent, streamName } from './contract/fixtures.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';

/** Behaviour specific to the ESDB adapter, on top of the shared contract. */

async function setUp(t: Test) {
  const standIn = await EsdbStandIn.start();
  const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger: silentLogger });
  t.teardown(async () => {
    await store.close();
    await standIn.stop();
  });
  return { standIn, store };
}

const isSystem = (e: { streamId: string; type: string }) => e.streamId.startsWith('$') || e.type.startsWith('$');

t.test('when $all holds system events (server bookkeeping, soft-delete metadata, tombstones)', async (t) => {
  const { standIn, store } = await setUp(t);
  const soft = streamName('soft');
  const hard = streamName('hard');
  await store.append(soft, [newEvent('Kept')]);
  await store.deleteStream(soft);
  await store.append(hard, [newEvent('AlsoKept')]);
  await store.tombstoneStream(hard);
  standIn.log.writeSystemEvent('$ce-hard', '$>', '"0@hard"');
  t.ok(standIn.log.all.filter(isSystem).length >= 5, 'the stand-in really wrote system events');

  t.test('readAll skips them in both directions', async (t) => {
    const forwards = await collect(store.readAll());
    t.same(forwards.map((e) => e.type), ['Kept', 'AlsoKept']);
    const backwards = await collect(store.readAll({ direction: 'backwards' }));
    t.same(backwards.map((e) => e.type), ['AlsoKept', 'Kept']);
  });

  t.test('maxCount counts only what is returned', async (t) => {
    t.same((await collect(store.readAll({ maxCount: 1 }))).map((e) => e.type), ['Kept']);
  });

  t.test('a subscription without a filter never delivers them', async (t) => {
    const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'start', signal }));
    t.teardown(() => reader.close());
    t.same(eventsOf(await reader.until('caughtUp')).map((e) => e.type), ['Kept', 'AlsoKept']);
  });

  t.test('a stream-prefix filter drops the tombstone marker written into the stream itself', async (t) => {
    const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'start', filter: { streamPrefixes: [hard] }, signal }));
    t.teardown(() => reader.close());
    t.same(eventsOf(await reader.until('caughtUp')).map((e) => e.type), ['AlsoKept']);
  });
});

t.test('when a filter names both stream prefixes and event types', async (t) => {
  const { store } = await setUp(t);
  const prefix = streamName('both');
  await store.append(`${prefix}-a`, [newEvent('Wanted'), newEvent('Other'), newEvent('Wanted')]);
  await store.append(streamName('elsewhere'), [newEvent('Wanted')]);
  const reader = new SubscriptionReader((signal) =>
    store.subscribe({ from: 'start', filter: { streamPrefixes: [prefix], eventTypes: ['Wanted'] }, checkpointInterval: 1, signal }),
  );
  t.teardown(() => reader.close());
  const seen = await reader.until('caughtUp');
  t.same(eventsOf(seen).map((e) => [e.streamId, e.type]), [[`${prefix}-a`, 'Wanted'], [`${prefix}-a`, 'Wanted']]);
  // The last checkpoint is the server's on going live (24.2+), past the event only the server filtered out.
  t.same(seen.map((m) => m.kind), ['event', 'checkpoint', 'event', 'checkpoint', 'caughtUp'], 'a type filtered out here still moves the checkpoint');
});

t.test('when an event type contains regex characters it is matched literally', async (t) => {
  const { store } = await setUp(t);
  const s = streamName('regex');
  await store.append(s, [newEvent('Node.Registered'), newEvent('NodeXRegistered'), newEvent('Node.Registered+')]);
  const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'start', filter: { eventTypes: ['Node.Registered'] }, signal }));
  t.teardown(() => reader.close());
  t.same(eventsOf(await reader.until('caughtUp')).map((e) => e.type), ['Node.Registered']);
});

t.test('when the server reports a failure it arrives as the port error', async (t) => {
  const { store } = await setUp(t);

  t.test('a stale revision is WrongExpectedVersion carrying what was asked and what is', async (t) => {
    const s = streamName('wev');
    await store.append(s, events('A', 2));
    const error = await store.append(s, events('B', 1), { expectedRevision: 0n }).catch((e: unknown) => e);
    t.type(error, WrongExpectedVersionError);
    t.match(error, { streamId: s, expected: '0', actual: 1n, code: 'WRONG_EXPECTED_VERSION' });
  });

  t.test('reads of a tombstoned stream and a second tombstone are StreamDeleted', async (t) => {
    const s = streamName('tomb');
    await store.append(s, events('A', 1));
    await store.tombstoneStream(s);
    await t.rejects(collect(store.readStream(s, { direction: 'backwards' })), StreamDeletedError);
    await t.rejects(store.tombstoneStream(s), StreamDeletedError);
    await t.rejects(store.deleteStream(s), StreamDeletedError);
  });

  t.test('deleting a missing or already deleted stream is StreamNotFound', async (t) => {
    const s = streamName('gone');
    await t.rejects(store.deleteStream(s), StreamNotFoundError);
    await store.append(s, events('A', 1));
    await store.deleteStream(s, { expectedRevision: 'stream_exists' });
    await t.rejects(store.deleteStream(s), StreamNotFoundError);
  });

  t.test('delete and tombstone honour expected revisions', async (t) => {
    const s = streamName('guarded');
    await store.append(s, events('A', 2));
    await t.rejects(store.deleteStream(s, { expectedRevision: 0n }), WrongExpectedVersionError);
    await t.rejects(store.tombstoneStream(s, { expectedRevision: 'no_stream' }), WrongExpectedVersionError);
    await t.rejects(store.tombstoneStream(streamName('missing'), { expectedRevision: 'stream_exists' }), WrongExpectedVersionError);
    await store.tombstoneStream(s, { expectedRevision: 1n });
    await t.rejects(store.append(s, events('B', 1), { expectedRevision: 1n }), StreamDeletedError);
  });

  t.test('an unreachable server fails connect with the address', async (t) => {
    const standIn = await EsdbStandIn.start();
    const { connectionString } = standIn;
    await standIn.stop();
    await t.rejects(EsdbEventStore.connect({ connectionString, logger: silentLogger }), { message: /127\.0\.0\.1.*not reachable/ });
  });
});

t.test('when a batch is appended again', async (t) => {
  const { store } = await setUp(t);

  t.test('a retry the server itself recognises still returns the first position', async (t) => {
    const s = streamName('retry');
    const batch = events('Created', 3);
    const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
    const again = await store.append(s, batch, { expectedRevision: 'no_stream' });
    t.same(again, first);
  });

  t.test('with any, after other writers appended, it is found and not duplicated', async (t) => {
    const s = streamName('any');
    const batch = events('Mine', 2);
    const first = await store.append(s, batch, { expectedRevision: 'any' });
    await store.append(s, events('Theirs', 5));
    t.same(await store.append(s, batch, { expectedRevision: 'any' }), first);
    t.equal((await collect(store.readStream(s))).length, 7);
  });

  t.test('a partial overlap at an explicit revision is an idempotency conflict', async (t) => {
    const s = streamName('partial');
    const [a, b] = events('E', 2) as [NewEvent, NewEvent];
    await store.append(s, [a], { expectedRevision: 'no_stream' });
    await t.rejects(store.append(s, [a, b], { expectedRevision: 'no_stream' }), IdempotencyConflictError);
    t.equal((await collect(store.readStream(s))).length, 1, 'nothing of the refused batch was written');
  });
});
