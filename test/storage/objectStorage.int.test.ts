import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import t from 'tap';
import { LocalObjectStorage } from '../../src/storage/localStorage.js';
import { checkedKey, StorageUnavailableError, type ObjectStorage } from '../../src/storage/objectStorage.js';
import { S3ObjectStorage } from '../../src/storage/s3Storage.js';
import { startS3rver } from '../support/s3rverHarness.js';

/** One contract, both adapters: what the import and playback rely on. */
function contract(name: string, open: () => Promise<{ storage: ObjectStorage; close(): Promise<void> }>) {
  t.test(`${name}: put, ranged get, size, move, list, deletePrefix`, async (t) => {
    const { storage, close } = await open();
    t.teardown(close);
    await storage.put('acme/rec-1/presentation/metadata.xml', Readable.from([Buffer.from('<recording>'), Buffer.from('</recording>')]));
    t.equal(await storage.size('acme/rec-1/presentation/metadata.xml'), 23);
    const whole = await storage.get('acme/rec-1/presentation/metadata.xml');
    t.equal(await text(whole!.body), '<recording></recording>');
    t.equal(whole!.size, 23);
    const part = await storage.get('acme/rec-1/presentation/metadata.xml', { start: 1, end: 9 });
    t.equal(await text(part!.body), 'recording');
    t.equal(part!.size, 23, 'a range still reports the whole size');
    t.equal(await storage.get('acme/rec-1/presentation/absent.xml'), undefined);
    t.equal(await storage.size('acme/absent'), undefined);

    await storage.put('acme/rec-1/presentation/video/webcams.webm', Readable.from([Buffer.alloc(10)]));
    const keys = [];
    for await (const item of storage.list('acme/rec-1/')) keys.push(item.key);
    t.same(keys.sort(), ['acme/rec-1/presentation/metadata.xml', 'acme/rec-1/presentation/video/webcams.webm']);

    await storage.put('.imports/u1', Readable.from([Buffer.from('tar')]));
    await storage.move('.imports/u1', '.quarantine/u1');
    t.equal(await storage.size('.imports/u1'), undefined);
    t.equal(await storage.size('.quarantine/u1'), 3);

    t.equal(await storage.deletePrefix('acme/rec-1/'), 2);
    t.equal(await storage.size('acme/rec-1/presentation/metadata.xml'), undefined);
  });

  t.test(`${name}: a failing body leaves nothing under the key`, async (t) => {
    const { storage, close } = await open();
    t.teardown(close);
    const broken = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('connection reset'));
      },
    });
    await t.rejects(storage.put('acme/rec-2/presentation/x.webm', broken));
    t.equal(await storage.size('acme/rec-2/presentation/x.webm'), undefined);
  });
}

contract('local directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-store-'));
  return { storage: new LocalObjectStorage(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

contract('S3 (s3rver)', async () => {
  const s3 = await startS3rver();
  return { storage: s3.storage, close: s3.stop };
});

t.test('keys that could leave the store are refused', async (t) => {
  for (const key of ['/etc/passwd', '../x', 'a/../../x', 'a//b', 'a\\b', '', 'a/./b']) t.throws(() => checkedKey(key), TypeError, key);
  t.equal(checkedKey('acme/r/presentation/a.png'), 'acme/r/presentation/a.png');
});

t.test('S3 that does not answer / StorageUnavailableError, so callers retry', async (t) => {
  const s3 = await startS3rver();
  await s3.stop();
  const storage = new S3ObjectStorage(s3.settings);
  await t.rejects(storage.put('acme/x', Readable.from([Buffer.from('x')])), StorageUnavailableError);
  await t.rejects(storage.get('acme/x'), StorageUnavailableError);
});

t.test('S3 presigned URL / names the bucket and key', async (t) => {
  const s3 = await startS3rver();
  t.teardown(s3.stop);
  const url = await s3.storage.signedUrl('acme/r/presentation/a.png', 60);
  t.match(url, /\/recordings\/acme\/r\/presentation\/a\.png\?.*X-Amz-Signature=/);
});
