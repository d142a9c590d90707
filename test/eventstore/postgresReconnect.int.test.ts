import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { collect, newEvent } from './contract/fixtures.js';
import { captureLogger, WARN } from './captureLogger.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './postgresTestDb.js';

const TOTAL = 300;

t.test('when the subscriber’s connections are killed mid-stream, it resumes from the last delivered event', async (t) => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const schema = uniqueSchema('reconnect');
  const applicationName = `es-reconnect-${randomUUID().slice(0, 8)}`;
  const readerPool = new pg.Pool({ connectionString: DATABASE_URL, application_name: applicationName });
  const { logger, lines, waitFor } = captureLogger();
  const reader = await PostgresEventStore.open({ pool: readerPool, schema, logger });
  const writer = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
  t.teardown(async () => {
    await reader.close();
    await readerPool.end();
    await writer.close();
    await dropSchema(admin, schema);
    await admin.end();
  });
  const killReaderConnections = async () =>
    (
      await admin.query<{ killed: boolean }>(
        'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      )
    ).rows.filter((r) => r.killed).length;

  const subscription = new SubscriptionReader((signal) => reader.subscribe({ from: 'start', signal }));
  t.teardown(() => subscription.close());
  await subscription.until('caughtUp');

  const writing = (async () => {
    for (let i = 0; i < TOTAL; i += 5) {
      await writer.append(`meeting-${i % 7}`, Array.from({ length: 5 }, (_, k) => newEvent('Tick', { n: i + k })));
      await sleep(2);
    }
  })();

  const delivered = eventsOf(await subscription.events(60, 20_000));
  t.ok((await killReaderConnections()) >= 1, 'killed the listener and pooled connections mid-stream');
  delivered.push(...eventsOf(await subscription.events(90, 20_000)));
  t.ok((await killReaderConnections()) >= 1, 'and again');
  await writing;
  delivered.push(...eventsOf(await subscription.events(TOTAL - delivered.length, 20_000)));

  const stored = await collect(writer.readAll());
  t.equal(stored.length, TOTAL);
  t.same(
    delivered.map((e) => (e.data as { n: number }).n),
    stored.map((e) => (e.data as { n: number }).n),
    'every event exactly once, in store order',
  );
  const warning = await waitFor((l) => l.level === WARN && /LISTEN connection/.test(l.msg));
  t.match(warning.msg, /Reconnecting/, 'the warning says what happens next');
  await waitFor((l) => /listening for append notifications again/.test(l.msg));
  t.notOk(lines.some((l) => l.level > WARN), 'nothing worse than a warning');
});
