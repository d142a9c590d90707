import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';
import { eventually } from '../support/eventually.js';
import { call } from '../support/httpHarness.js';
import { makeTar, metadataXml, type ArchiveEntry } from '../support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';
import { makeSyntheticRecording, probe } from '../support/syntheticRecording.js';

t.test('an imported presentation / rendered to an MP4 listed by getRecordings as format "video" and served with ranges', async (t) => {
  const p = await startRecordingsProduct(t, { RENDER_PROFILES: 'video' });
  const recordId = await p.meeting('acme', SECRETS.acme, 'rendered');
  const dir = await mkdtemp(join(tmpdir(), 'synthetic-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await makeSyntheticRecording(dir, { seconds: 3, webcams: { width: 160, height: 120 } });
  await writeFile(join(dir, 'metadata.xml'), metadataXml(recordId));
  const entries: ArchiveEntry[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) entries.push({ name: `presentation/${recordId}/${relative(dir, join(entry.parentPath, entry.name))}`, content: await readFile(join(entry.parentPath, entry.name)) });
  }
  t.equal((await p.imported(await makeTar(entries))).state, 'imported');

  let video: { type: string; url: string; size: string } | undefined;
  await eventually('rendered', async () => {
    const answer = await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]));
    video = answer.recordings?.recording?.[0]?.playback.format.find((f: { type: string }) => f.type === 'video');
    return video !== undefined;
  }, 120_000);
  t.match(video!.url, new RegExp(`/render-video/${recordId}/${recordId}\\.mp4$`));
  const whole = await fetch(video!.url);
  t.equal(whole.status, 200);
  t.equal(whole.headers.get('content-type'), 'video/mp4');
  const bytes = Buffer.from(await whole.arrayBuffer());
  t.equal(String(bytes.length), video!.size);
  const file = join(dir, 'out.mp4');
  await writeFile(file, bytes);
  const probed = await probe(file);
  t.ok(probed.durationSeconds > 2.5 && probed.durationSeconds < 3.5, `about 3 s (${probed.durationSeconds})`);
  const part = await fetch(video!.url, { headers: { range: 'bytes=0-99' } });
  t.equal(part.status, 206);
  t.equal((await part.arrayBuffer()).byteLength, 100);

  // Protected, the MP4 is behind its own one-time link, which opens a session for it.
  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'updateRecordings', [['recordID', recordId], ['protect', 'true']]))).updated, 'true');
  const protectedVideo = (await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]))).recordings.recording[0].playback.format.find((f: { type: string }) => f.type === 'video');
  const link = new URL(protectedVideo.url as string);
  t.equal(link.pathname, `/recording/${recordId}/render-video`);
  t.equal((await fetch(video!.url)).status, 403, 'the plain MP4 URL no longer plays');
  const opened = await fetch(link, { redirect: 'manual' });
  t.equal(opened.status, 307);
  t.equal(opened.headers.get('location'), `/render-video/${recordId}/${recordId}.mp4`);
  const session = opened.headers.get('set-cookie')!.split(';')[0]!;
  const mp4 = await fetch(new URL(opened.headers.get('location')!, p.base), { headers: { cookie: session, range: 'bytes=0-9' } });
  t.equal(mp4.status, 206, 'the session plays it');
  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'updateRecordings', [['recordID', recordId], ['protect', 'false']]))).updated, 'true');

  const rendered = async () => {
    const types: string[] = [];
    for await (const event of p.store.readStream(`recording-${recordId}`)) types.push(event.type);
    return types.filter((type) => type === 'RecordingRendered').length;
  };
  t.equal(await rendered(), 1);
  const again = await call(p.base, `/admin/api/v1/recordings/${recordId}/render`, { method: 'POST', token: p.token, body: { profiles: ['video'] } });
  t.equal(again.status, 202);
  t.same(again.body, { recordId, requested: ['video'], underway: [] });
  await eventually('rendered again by the render process', async () => (await rendered()) === 2, 120_000);
});
