import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { openPgliteEventStore } from '../../src/eventstore/postgres/pglite.js';
import { eventStoreContract } from './contract/index.js';
import { uniqueSchema } from './postgresTestDb.js';

// initdb costs seconds, so the file shares one PGlite and gives every store its own schema.
const dataDir = await mkdtemp(join(tmpdir(), 'bbb-ledger-pglite-'));
const db = await PGlite.create(dataDir);
t.teardown(async () => {
  await db.close();
  await rm(dataDir, { recursive: true, force: true });
});

eventStoreContract(t, () => openPgliteEventStore({ dataDir, pglite: db, schema: uniqueSchema('contract'), logger: silentLogger }));
