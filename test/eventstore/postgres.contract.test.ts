import pg from 'pg';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { eventStoreContract } from './contract/index.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './postgresTestDb.js';

const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
t.teardown(() => admin.end());

eventStoreContract(t, async () => {
  const schema = uniqueSchema('contract');
  const store = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema, logger: silentLogger });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      await dropSchema(admin, schema);
    },
  });
});
