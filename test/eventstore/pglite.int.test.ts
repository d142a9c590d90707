import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { openEventStore, parseEventStoreLocation } from '../../src/eventstore/open.js';
import { collect, events } from './contract/fixtures.js';

t.test('when the process restarts, an EVENTSTORE=pglite:<dir> store still holds its events', async (t) => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'bbb-ledger-pglite-')), 'data');
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const location = parseEventStoreLocation(`pglite:${dataDir}`);

  const first = await openEventStore(location, silentLogger);
  t.equal(first.kind, 'pglite');
  const written = await first.append('tenant-acme', events('TenantRegistered', 2), { expectedRevision: 'no_stream' });
  await first.close();

  const second = await openEventStore(location, silentLogger);
  t.teardown(() => second.close());
  const read = await collect(second.readStream('tenant-acme'));
  t.same(read.map((e) => e.revision), [0n, 1n]);
  t.equal(read[1]?.position, written.position, 'positions survive too');
  const next = await second.append('tenant-acme', events('TenantSecretAdded', 1), { expectedRevision: 1n });
  t.equal(next.nextExpectedRevision, 2n, 'revisions continue');
  t.ok(next.position > written.position, 'and so do positions');
});

t.test('a first start whose initdb (in a child process) fails says so, and leaves the directory unlocked', async (t) => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'bbb-ledger-pglite-')), 'data');
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  await mkdir(dataDir);
  // A file where initdb must create a directory.
  await writeFile(join(dataDir, 'global'), 'not a directory');
  const location = parseEventStoreLocation(`pglite:${dataDir}`);
  await t.rejects(openEventStore(location, silentLogger), /could not create the embedded database in .*data \(PGlite's initdb in a child process failed/);
  t.notOk((await readdir(dataDir)).includes('bbb-ledger.pid'), 'no lock file left behind');
});
