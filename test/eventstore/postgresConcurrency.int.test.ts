import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { collect, newEvent } from './contract/fixtures.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './postgresTestDb.js';

const WRITERS = 8;
const TRANSACTIONS_PER_WRITER = 60;

t.test('when 8 writers commit out of order, a live subscriber still sees every event once, in store order', async (t) => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const schema = uniqueSchema('concurrency');
  // One in five transactions sleeps before COMMIT, so later positions often become visible first.
  const writer = await PostgresEventStore.open({
    connectionString: DATABASE_URL,
    schema,
    logger: silentLogger,
    beforeCommit: async () => {
      if (Math.random() < 0.2) await sleep(Math.random() * 40);
    },
  });
  // A second store on its own pool stands for another process: it learns of appends through NOTIFY.
  const reader = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
  t.teardown(async () => {
    await writer.close();
    await reader.close();
    await dropSchema(admin, schema);
    await admin.end();
  });
  const subscription = new SubscriptionReader((signal) => reader.subscribe({ from: 'start', signal }));
  t.teardown(() => subscription.close());
  await subscription.until('caughtUp');

  let written = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < TRANSACTIONS_PER_WRITER; i++) {
        const size = 1 + (i % 3);
        const batch = Array.from({ length: size }, (_, k) => newEvent('Written', { w, i, k }));
        // Half the writers share streams, so same-stream appends also serialise on the streams row.
        const stream = w % 2 === 0 ? `shared-${i % 4}` : `writer-${w}`;
        await writer.append(stream, batch);
        written += size;
      }
    }),
  );

  const delivered = eventsOf(await subscription.events(written, 20_000));
  const stored = await collect(reader.readAll());
  t.equal(stored.length, written, 'the store holds every event');
  t.equal(new Set(delivered.map((e) => e.id)).size, written, 'every event delivered exactly once');
  t.same(
    delivered.map((e) => e.id),
    stored.map((e) => e.id),
    'delivered in the same order as readAll',
  );
  const positions = delivered.map((e) => e.position);
  t.same([...positions].sort(), positions, 'positions only grow');
});

t.test('when an older transaction commits after a newer one, the subscriber holds the newer event back until the order is final', async (t) => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const schema = uniqueSchema('latecommit');
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let slowEntered = () => {};
  const slowInside = new Promise<void>((resolve) => (slowEntered = resolve));
  const store = await PostgresEventStore.open({
    connectionString: DATABASE_URL,
    schema,
    logger: silentLogger,
    beforeCommit: async (streamId) => {
      if (streamId !== 'slow') return;
      slowEntered();
      await gate;
    },
  });
  t.teardown(async () => {
    await store.close();
    await dropSchema(admin, schema);
    await admin.end();
  });
  const subscription = new SubscriptionReader((signal) => store.subscribe({ from: 'start', signal }));
  t.teardown(() => subscription.close());
  await subscription.until('caughtUp');

  const slow = store.append('slow', [newEvent('First')]);
  await slowInside;
  const fast = await store.append('fast', [newEvent('Second')]);
  // Give a broken reader every chance to deliver the committed "Second" while "First" is still open.
  await sleep(200);
  openGate();
  const first = await slow;
  t.ok(first.position < fast.position, 'the transaction that started first sorts first, though it committed last');
  const delivered = eventsOf(await subscription.events(2)).map((e) => e.type);
  t.same(delivered, ['First', 'Second'], 'nothing skipped, nothing out of order');
});

t.test('when an unrelated write transaction is open elsewhere, readers still see every event committed before they started', async (t) => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const schema = uniqueSchema('openxact');
  const store = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
  t.teardown(async () => {
    await store.close();
    await dropSchema(admin, schema);
    await admin.end();
  });
  // An older transaction id than our appends, still running: our events are committed but not yet final.
  const blocker = await admin.connect();
  await blocker.query('BEGIN');
  await blocker.query('SELECT pg_current_xact_id()');
  await store.append('meeting-1', [newEvent('Before'), newEvent('Before')]);
  const commitBlockerSoon = sleep(150).then(async () => {
    await blocker.query('COMMIT');
    blocker.release();
  });

  const subscription = new SubscriptionReader((signal) => store.subscribe({ from: 'start', signal }));
  t.teardown(() => subscription.close());
  const history = subscription.until('caughtUp');
  const all = await collect(store.readAll());
  t.same(all.map((e) => e.type), ['Before', 'Before'], 'readAll waits for the older transaction and includes them');
  t.same(eventsOf(await history).map((e) => e.type), ['Before', 'Before'], 'caughtUp comes only after them');
  await commitBlockerSoon;
});
