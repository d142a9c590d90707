import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import t, { type Test } from 'tap';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { streamName } from './contract/fixtures.js';

/**
 * The stand-in's BatchAppend against the bare 6.2.1 client: it must answer as the server does, because these
 * answers are why the adapter never takes this path (docs/decisions.md, 2026-12-04).
 */

async function setUp(t: Test) {
  const standIn = await EsdbStandIn.start();
  const client = EventStoreDBClient.connectionString(standIn.connectionString);
  t.teardown(async () => {
    await client.dispose();
    await standIn.stop();
  });
  return { standIn, client };
}

const event = () => jsonEvent({ type: 'E', data: {} });

t.test('several appends in flight on one stream are answered one by one', async (t) => {
  const { client } = await setUp(t);
  const s = streamName('inflight');
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.appendToStream(s, event(), { expectedRevision: NO_STREAM })));
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one wins');
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { type?: string }] : []));
  t.same(failures.map((e) => e.type), Array(4).fill('wrong-expected-version'), 'the others fail alone, each with its own error');
  t.equal((await client.appendToStream(s, event())).nextExpectedRevision, 1n, 'the call stays usable');
});

t.test('one not-leader answer fails every append in flight on the call', async (t) => {
  const { standIn, client } = await setUp(t);
  await client.appendToStream(streamName('warm'), event());
  standIn.failNextWrites('not-leader');
  const results = await Promise.allSettled([1, 2, 3].map(() => client.appendToStream(streamName('victim'), event())));
  t.same(results.map((r) => (r.status === 'rejected' ? (r.reason as { type?: string }).type : 'fulfilled')), ['not-leader', 'not-leader', 'not-leader']);
});

t.test('not ready arrives as an UnknownError the client cannot name', async (t) => {
  const { standIn, client } = await setUp(t);
  standIn.failNextWrites('not-ready');
  await t.rejects(client.appendToStream(streamName('notready'), event()), { type: 'unknown', message: /Could not recognize Server Is Not Ready/ });
});

t.test('a batch over 1 MiB fails alone with the limit', async (t) => {
  const { client } = await setUp(t);
  const big = jsonEvent({ type: 'Big', data: { blob: 'x'.repeat(1_100_000) } });
  const error = await client.appendToStream(streamName('big'), big).catch((e: unknown) => e);
  t.match(error, { type: 'maximum-append-size-exceeded', maxAppendSize: 1_048_576 });
  t.equal((await client.appendToStream(streamName('small'), event())).nextExpectedRevision, 0n);
});
