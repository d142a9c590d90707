import t from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import { silentLogger } from '../../src/logging.js';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { eventStoreContract } from './contract/index.js';

t.test('EsdbEventStore against the in-process gRPC stand-in', async (t) => {
  eventStoreContract(t, async () => {
    const standIn = await EsdbStandIn.start();
    const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger: silentLogger });
    // The contract closes the store in its teardown; the stand-in goes with it.
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await standIn.stop();
    };
    return store;
  });
});

const realServer = process.env.ESDB_URL;
if (realServer) {
  t.test(`EsdbEventStore against the real server at ESDB_URL`, async (t) => {
    eventStoreContract(t, () => EsdbEventStore.connect({ connectionString: realServer, logger: silentLogger }));
  });
}
