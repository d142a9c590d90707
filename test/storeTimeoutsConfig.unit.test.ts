import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';
import { withDefaultDeadline } from '../src/eventstore/open.js';

t.test('EVENTSTORE_TIMEOUT_MS, REDIS_TIMEOUT_MS, DATABASE_TIMEOUT_MS / absent, the documented defaults', async (t) => {
  t.same(loadConfig({}).storeTimeouts, { eventStoreMs: 5000, redisMs: 2000, databaseMs: 30_000 });
});

t.test('store timeouts / given, each lands in its deadline', async (t) => {
  const config = loadConfig({ EVENTSTORE_TIMEOUT_MS: '1500', REDIS_TIMEOUT_MS: '250', DATABASE_TIMEOUT_MS: '60000' });
  t.same(config.storeTimeouts, { eventStoreMs: 1500, redisMs: 250, databaseMs: 60_000 });
});

t.test('store timeouts / a wrong value stops the start naming the variable', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['EVENTSTORE_TIMEOUT_MS', '0', '100 to 600000'],
    ['EVENTSTORE_TIMEOUT_MS', '5s', '100 to 600000'],
    ['REDIS_TIMEOUT_MS', '10', '50 to 600000'],
    ['DATABASE_TIMEOUT_MS', '3600001', '100 to 3600000'],
  ];
  for (const [name, value, range] of cases) {
    t.throws(() => loadConfig({ [name]: value }), { name: ConfigError.name, message: `${name}: "${value}" is not an integer from ${range}` });
  }
});

t.test('EventStoreDB / the store deadline becomes defaultDeadline unless the connection string sets one', async (t) => {
  t.equal(withDefaultDeadline('esdb://h:2113?tls=false', 5000), 'esdb://h:2113?tls=false&defaultDeadline=5000');
  t.equal(withDefaultDeadline('esdb://h:2113', 5000), 'esdb://h:2113?defaultDeadline=5000');
  t.equal(withDefaultDeadline('esdb://h:2113?defaultDeadline=900&tls=false', 5000), 'esdb://h:2113?defaultDeadline=900&tls=false');
  t.equal(withDefaultDeadline('esdb://h:2113', undefined), 'esdb://h:2113');
});
