import t from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import { silentLogger } from '../../src/logging.js';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { eventStoreContract } from './contract/index.js';

/**
 * The stand-in answers as each server version whose behaviour the adapter must bridge: 22.10 (no caughtUp),
 * 24.10.4 (invalid and early checkpoints), 25.0.0 (early checkpoints) and the newest (default).
 */
for (const version of ['25.1.4', '22.10.5', '24.10.4', '25.0.0']) {
  t.test(`EsdbEventStore against the in-process gRPC stand-in answering as ${version}`, async (t) => {
    eventStoreContract(t, () => standInStore(version));
  });
}

async function standInStore(version: string) {
  const standIn = await EsdbStandIn.start({ version });
  const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger: silentLogger });
  // The contract closes the store in its teardown; the stand-in goes with it.
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await standIn.stop();
  };
  return store;
}

const realServer = process.env.ESDB_URL;
if (realServer) {
  t.test(`EsdbEventStore against the real server at ESDB_URL`, async (t) => {
    eventStoreContract(t, () => EsdbEventStore.connect({ connectionString: realServer, logger: silentLogger }));
  });
}
