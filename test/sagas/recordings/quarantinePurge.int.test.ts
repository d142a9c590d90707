import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { silentLogger } from '../../../src/logging.js';
import { purgeQuarantine } from '../../../src/sagas/recordings/quarantinePurge.js';
import { LocalObjectStorage } from '../../../src/storage/localStorage.js';

t.test('quarantined uploads older than RECORDINGS_QUARANTINE_DAYS / removed; newer ones and recordings stay', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quarantine-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const storage = new LocalObjectStorage(dir);
  for (const key of ['.quarantine/old', '.quarantine/new', 'acme/r/presentation/metadata.xml']) await storage.put(key, Readable.from([Buffer.from('x')]));
  const now = new Date('2026-12-04T12:00:00Z');
  const old = new Date(now.getTime() - 15 * 86_400_000);
  await utimes(join(dir, '.quarantine', 'old'), old, old);
  await utimes(join(dir, 'acme/r/presentation/metadata.xml'), old, old);
  t.equal(await purgeQuarantine(storage, 14, now, silentLogger), 1);
  t.equal(await storage.size('.quarantine/old'), undefined);
  t.equal(await storage.size('.quarantine/new'), 1);
  t.equal(await storage.size('acme/r/presentation/metadata.xml'), 1);
});
