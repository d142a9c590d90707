import type { Test } from 'tap';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import t from 'tap';
import { ArchiveRejected } from '../../../src/sagas/recordings/extractArchive.js';
import { prepareImport, type MeetingRef, type Pending } from '../../../src/sagas/recordings/importUpload.js';
import { LocalObjectStorage } from '../../../src/storage/localStorage.js';
import { makeTar, metadataXml, scaleliteEntries, sha256, type ArchiveEntry } from '../../support/recordingArchives.js';

const recordId = '0123456789abcdef0123456789abcdef01234567-1700000000000';
const meeting: MeetingRef = { tenant: 'acme', scope: 'acme-007', meetingID: 'room & 1', name: 'Room One' };

async function setup(t: Test, limits = { maxExtractedBytes: 50 * 1024 * 1024, maxEntries: 1000 }) {
  const root = await mkdtemp(join(tmpdir(), 'import-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const storage = new LocalObjectStorage(join(root, 'store'));
  const workRoot = join(root, 'work');
  const deps = { storage, workRoot, limits, meetingOf: (id: string) => (id === recordId ? meeting : undefined) };
  const stage = async (archive: Buffer, importId = 'imp-1'): Promise<Pending> => {
    const stagedKey = `.imports/${importId}`;
    await storage.put(stagedKey, Readable.from([archive]));
    return { status: 'pending', importId, nodeId: 'node-a', bytes: archive.length, sha256: sha256(archive), stagedKey };
  };
  return { root, storage, deps, stage };
}

async function rejection(promise: Promise<unknown>): Promise<ArchiveRejected> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArchiveRejected) return error;
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

t.test('Scalelite tar with two formats / one command per format, files stored under <tenant>/<record>/<format>/', async (t) => {
  const { deps, stage, storage } = await setup(t);
  const commands = await prepareImport(deps, await stage(await makeTar(scaleliteEntries(recordId, ['presentation', 'video']))));
  t.same(commands.map((c) => c.data.playback.format), ['presentation', 'video']);
  const [presentation] = commands;
  t.equal(presentation!.data.tenant, 'acme');
  t.equal(presentation!.data.scope, 'acme-007');
  t.equal(presentation!.data.meetingID, 'room & 1');
  t.equal(presentation!.data.metadata.meetingId, 'room & 1', 'the node-scoped meetingId is replaced by the tenant’s own');
  t.equal(presentation!.data.metadata['bbb-origin'], 'greenlight');
  t.equal(presentation!.data.playback.playbackPath, `/playback/presentation/2.3/${recordId}`);
  t.same(presentation!.data.playback.previews, [{ width: '176', height: '136', alt: 'Welcome & hello', path: 'presentation/p1/thumbnails/thumb-1.png' }]);
  t.same(presentation!.data.playback.files.map((f) => f.path).sort(), ['metadata.xml', 'presentation/p1/thumbnails/thumb-1.png', 'video/webcams.webm']);
  t.equal(presentation!.data.playback.durationMs, 101014);
  const stored = await storage.get(`acme/${recordId}/presentation/video/webcams.webm`);
  t.equal(stored?.size, 4096);
  t.equal(await text((await storage.get(`acme/${recordId}/video/metadata.xml`))!.body), metadataXml(recordId, { format: 'video' }));
});

t.test('BBBLB tar.gz of one format / imported the same way', async (t) => {
  const { deps, stage } = await setup(t);
  const commands = await prepareImport(deps, await stage(await makeTar(scaleliteEntries(recordId), true)));
  t.same(commands.map((c) => c.data.playback.format), ['presentation']);
});

t.test('B3LB root-level metadata.xml / the presentation format of the record metadata.xml names', async (t) => {
  const { deps, stage, storage } = await setup(t);
  const entries: ArchiveEntry[] = [
    { name: './', type: 'directory' },
    { name: './metadata.xml', content: metadataXml(recordId) },
    { name: './video/webcams.webm', content: 'webm' },
  ];
  const [command] = await prepareImport(deps, await stage(await makeTar(entries)));
  t.equal(command!.data.recordId, recordId);
  t.equal(command!.data.playback.format, 'presentation');
  t.equal((await storage.get(`acme/${recordId}/presentation/video/webcams.webm`))?.size, 4);
});

const unsafe: Array<[string, ArchiveEntry]> = [
  ['path traversal', { name: `presentation/${recordId}/../../../escaped.txt`, content: 'x' }],
  ['an absolute path', { name: '/tmp/escaped-absolute.txt', content: 'x' }],
  ['a symlink', { name: `presentation/${recordId}/link`, type: 'symlink', linkname: '/etc/passwd' }],
  ['a hard link', { name: `presentation/${recordId}/hard`, type: 'link', linkname: '/etc/passwd' }],
  ['a device file', { name: `presentation/${recordId}/dev`, type: 'character-device' }],
];
for (const [what, entry] of unsafe) {
  t.test(`a tar with ${what} / refused as unsafeArchive, nothing written outside the work area`, async (t) => {
    const { deps, stage, root } = await setup(t);
    const archive = await makeTar([...scaleliteEntries(recordId), entry]);
    const error = await rejection(prepareImport(deps, await stage(archive)));
    t.equal(error.reason, 'unsafeArchive');
    t.match(error.message, /entry/);
    t.same((await readdir(root)).sort(), ['store', 'work']);
    t.same(await readdir(join(root, 'work')), [], 'the work area is cleaned');
  });
}

t.test('a decompression bomb / stops at the extraction limit as tooLarge', async (t) => {
  const { deps, stage } = await setup(t, { maxExtractedBytes: 1024 * 1024, maxEntries: 1000 });
  const archive = await makeTar([...scaleliteEntries(recordId), { name: `presentation/${recordId}/zeros`, content: Buffer.alloc(20 * 1024 * 1024) }], true);
  t.ok(archive.length < 100 * 1024, 'the bomb is small');
  t.equal((await rejection(prepareImport(deps, await stage(archive)))).reason, 'tooLarge');
});

t.test('a tar with no metadata.xml / noMetadata', async (t) => {
  const { deps, stage } = await setup(t);
  const archive = await makeTar([{ name: `presentation/${recordId}/video/webcams.webm`, content: 'x' }]);
  t.equal((await rejection(prepareImport(deps, await stage(archive)))).reason, 'noMetadata');
});

t.test('metadata.xml that is not XML / badMetadata', async (t) => {
  const { deps, stage } = await setup(t);
  const archive = await makeTar([{ name: `presentation/${recordId}/metadata.xml`, content: '<recording><id>x</recording' }]);
  const error = await rejection(prepareImport(deps, await stage(archive)));
  t.equal(error.reason, 'badMetadata');
  t.match(error.message, /not XML/);
});

t.test('a recording of a meeting no event knows / unknownMeeting naming the record', async (t) => {
  const { deps, stage } = await setup(t);
  const other = 'ffffffffffffffffffffffffffffffffffffffff-1700000000000';
  const error = await rejection(prepareImport(deps, await stage(await makeTar(scaleliteEntries(other)))));
  t.equal(error.reason, 'unknownMeeting');
  t.same(error.recordIds, [other]);
});

t.test('a truncated tar / badArchive', async (t) => {
  const { deps, stage } = await setup(t);
  const whole = await makeTar(scaleliteEntries(recordId));
  t.equal((await rejection(prepareImport(deps, await stage(whole.subarray(0, 1500))))).reason, 'badArchive');
});

t.test('a staged upload that differs from what the upload recorded / checksumMismatch', async (t) => {
  const { deps, stage } = await setup(t);
  const pending = await stage(await makeTar(scaleliteEntries(recordId)));
  t.equal((await rejection(prepareImport(deps, { ...pending, sha256: '0'.repeat(64) }))).reason, 'checksumMismatch');
});
