import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { blobRefOf, type BlobStore } from '../../src/blobs/blobStore.js';
import { FileBlobStore } from '../../src/blobs/fileBlobStore.js';
import { MemoryBlobStore } from '../../src/blobs/memoryBlobStore.js';

const stores: Array<[string, () => Promise<BlobStore>]> = [
  ['memory', async () => new MemoryBlobStore()],
  [
    'filesystem',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
      t.teardown(() => rm(dir, { recursive: true, force: true }));
      return new FileBlobStore(join(dir, 'nested', 'blobs'));
    },
  ],
];

for (const [name, open] of stores) {
  t.test(`${name} / gives back exactly the bytes stored, under their sha256`, async (t) => {
    const store = await open();
    const bytes = Buffer.from('<modules>\r\n  <module name="presentation">é \u0000 🎉</module>\n</modules>', 'utf8');
    const ref = await store.put(bytes);
    t.equal(ref, blobRefOf(bytes));
    t.match(ref, /^sha256:[0-9a-f]{64}$/);
    t.ok((await store.get(ref))?.equals(bytes));
  });
  t.test(`${name} / storing the same bytes twice is harmless; other bytes get another ref`, async (t) => {
    const store = await open();
    const a = await store.put(Buffer.from('a'));
    t.equal(await store.put(Buffer.from('a')), a);
    t.not(await store.put(Buffer.from('b')), a);
    t.equal((await store.get(a))?.toString(), 'a');
  });
  t.test(`${name} / an unknown or malformed ref reads as nothing`, async (t) => {
    const store = await open();
    t.equal(await store.get(`sha256:${'0'.repeat(64)}`), undefined);
    t.equal(await store.get('sha256:../../etc/passwd'), undefined);
    t.equal(await store.get('nonsense'), undefined);
  });
  t.test(`${name} / the caller mutating its buffer afterwards does not change the stored blob`, async (t) => {
    const store = await open();
    const bytes = Buffer.from('original');
    const ref = await store.put(bytes);
    bytes.write('CHANGED!');
    t.equal((await store.get(ref))?.toString(), 'original');
  });
}

t.test('filesystem / leaves no temporary files behind, only <2 hex>/<64 hex>', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new FileBlobStore(dir);
  const ref = await store.put(Buffer.from('x'));
  await Promise.all([store.put(Buffer.from('x')), store.put(Buffer.from('x'))]);
  const digest = ref.slice('sha256:'.length);
  t.same(await readdir(dir), [digest.slice(0, 2)]);
  t.same(await readdir(join(dir, digest.slice(0, 2))), [digest]);
});
