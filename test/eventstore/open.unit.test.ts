import t from 'tap';
import { openEventStore, parseEventStoreLocation } from '../../src/eventstore/open.js';
import { silentLogger } from '../../src/logging.js';

t.test('EVENTSTORE values map to adapters', async (t) => {
  t.same(parseEventStoreLocation('memory'), { kind: 'memory' });
  t.same(parseEventStoreLocation('pglite:./data/events'), { kind: 'pglite', dataDir: './data/events' });
  t.same(parseEventStoreLocation('postgres://u@h:5432/db'), { kind: 'postgres', connectionString: 'postgres://u@h:5432/db' });
  t.same(parseEventStoreLocation('esdb://h:2113?tls=false'), { kind: 'esdb', connectionString: 'esdb://h:2113?tls=false' });
  for (const bad of ['', 'pglite:', 'mysql://x', 'redis://x', 'esdb:/x']) {
    t.throws(() => parseEventStoreLocation(bad), /must be one of: memory \| pglite/, `"${bad}" is refused with the accepted forms`);
  }
});

t.test('an unreachable server fails with the location (password hidden) and what to check', async (t) => {
  const error = await openEventStore({ kind: 'postgres', connectionString: 'postgres://bob:hunter2@127.0.0.1:1/x' }, silentLogger).then(
    () => new Error('opened an unreachable store'),
    (e: unknown) => e as Error,
  );
  t.match(error.message, /^cannot open the event store EVENTSTORE=postgres:\/\/bob:\*\*\*@127\.0\.0\.1:1\/x: .*check that the server is running/);
  t.notMatch(error.message, /hunter2/);
});
