import pg from 'pg';
import t from 'tap';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { CorruptStoredEventError } from '../../src/eventstore/postgres/rowMapping.js';
import { collect, events } from './contract/fixtures.js';
import { captureLogger, ERROR } from './captureLogger.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './postgresTestDb.js';

t.test('when a stored row is not a valid event, readers stop at it with a clear error instead of skipping it', async (t) => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const schema = uniqueSchema('corrupt');
  const { logger, waitFor } = captureLogger();
  const store = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger });
  t.teardown(async () => {
    await store.close();
    await dropSchema(admin, schema);
    await admin.end();
  });
  await store.append('meeting-1', events('Step', 3));
  const damaged = `UPDATE "${schema}".es_events SET metadata = $1::jsonb WHERE stream_id = 'meeting-1' AND revision = 1`;
  const [, original] = await collect(store.readStream('meeting-1'));
  await admin.query(damaged, [JSON.stringify('garbage')]);

  const streamError = await collect(store.readStream('meeting-1')).catch((e: unknown) => e);
  t.type(streamError, CorruptStoredEventError, 'readStream refuses');
  t.match((streamError as Error).message, /meeting-1@1 .*metadata is "garbage", not an object/, 'the message names the event and the problem');
  const beforeError: number[] = [];
  const allError = await (async () => {
    for await (const e of store.readAll()) beforeError.push(Number(e.revision));
  })().catch((e: unknown) => e);
  t.type(allError, CorruptStoredEventError, 'readAll refuses');
  t.same(beforeError, [0], 'after handing out the events before it');

  const subscription = new SubscriptionReader((signal) => store.subscribe({ from: 'start', signal }));
  t.teardown(() => subscription.close());
  // A page is delivered whole or not at all, so the subscription waits before the page holding the row.
  const delivery = subscription.events(3, 20_000);
  const failure = await waitFor((l) => l.level === ERROR && /corrupt stored event/.test(l.msg));
  t.match(failure.err?.message, /meeting-1@1/, 'the subscription logs which event stops it');
  await admin.query(damaged, [JSON.stringify(original!.metadata)]);
  const all = eventsOf(await delivery);
  t.same(all.map((e) => e.revision), [0n, 1n, 2n], 'once repaired, it goes on from where it stopped: no gap');
});
