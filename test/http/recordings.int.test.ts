import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { eventually } from '../support/eventually.js';
import { call } from '../support/httpHarness.js';
import { makeTar, metadataXml, scaleliteEntries } from '../support/recordingArchives.js';
import { recordingsParser, SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';

t.test('a Scalelite tar from a node / listed by getRecordings for its tenant exactly as BBB, served, published and deleted', async (t) => {
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme-007', SECRETS.acme7, 'physics & more');
  const status = await p.imported(await makeTar(scaleliteEntries(recordId, ['presentation', 'video'])));
  t.same(status, { importId: status.importId, state: 'imported', recordIds: [recordId] });

  const list = await p.xml(p.bbb('acme-007', SECRETS.acme7, 'getRecordings', [['meetingID', 'physics & more']]));
  t.equal(list.returncode, 'SUCCESS');
  const [recording] = list.recordings.recording;
  t.equal(recording.recordID, recordId);
  t.equal(recording.meetingID, 'physics & more', 'the tenant’s own meetingID');
  t.equal(recording.metadata.meetingId, 'physics & more');
  t.equal(recording.state, 'published');
  t.same(recording.playback.format.map((f: any) => f.type), ['presentation', 'video']);
  const presentation = recording.playback.format[0];
  t.match(presentation.url, new RegExp(`/playback/presentation/2\\.3/${recordId}$`));
  const thumbnail = presentation.preview.images.image[0]['#text'] as string;
  t.match(thumbnail, new RegExp(`/presentation/${recordId}/presentation/p1/thumbnails/thumb-1\\.png$`));
  t.equal(presentation.length, '1', 'minutes');

  const mainSees = await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId.slice(0, 12)]]));
  t.equal(mainSees.recordings.recording.length, 1, 'the main secret sees its sub-secrets’ recordings, by record id prefix');
  const other = await p.xml(p.bbb('globex', SECRETS.globex, 'getRecordings', [['recordID', recordId]]));
  t.equal(other.messageKey, 'noRecordings', 'another tenant sees nothing');
  t.equal((await p.xml(p.bbb('globex', SECRETS.globex, 'deleteRecordings', [['recordID', recordId]]))).messageKey, 'notFound');

  const webcams = await fetch(`${p.base}/presentation/${recordId}/video/webcams.webm`, { headers: { range: 'bytes=10-19' } });
  t.equal(webcams.status, 206);
  t.equal(webcams.headers.get('content-range'), 'bytes 10-19/4096');
  t.equal(webcams.headers.get('content-type'), 'video/webm');
  t.equal((await webcams.arrayBuffer()).byteLength, 10);
  t.equal((await fetch(thumbnail)).status, 200);

  t.equal((await p.xml(p.bbb('acme-007', SECRETS.acme7, 'publishRecordings', [['recordID', recordId], ['publish', 'false']]))).published, 'false');
  t.equal((await fetch(`${p.base}/presentation/${recordId}/metadata.xml`)).status, 404, 'unpublished: not served');
  const unpublished = await p.xml(p.bbb('acme-007', SECRETS.acme7, 'getRecordings', [['recordID', recordId]]));
  t.equal(unpublished.recordings.recording[0].state, 'unpublished');

  const updated = await p.xml(p.bbb('acme-007', SECRETS.acme7, 'updateRecordings', [['recordID', recordId], ['meta_course', 'B-2'], ['meta_bbb-origin', '']]));
  t.equal(updated.updated, 'true');
  const byMeta = await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['meta_course', 'B%']]));
  t.equal(byMeta.recordings.recording.length, 1);
  t.equal(byMeta.recordings.recording[0].metadata['bbb-origin'], undefined, 'an empty meta_ removes the key');

  t.equal((await p.xml(p.bbb('acme-007', SECRETS.acme7, 'deleteRecordings', [['recordID', recordId]]))).deleted, 'true');
  t.equal((await p.xml(p.bbb('acme-007', SECRETS.acme7, 'getRecordings', [['recordID', recordId]]))).messageKey, 'noRecordings');
  t.equal((await p.xml(p.bbb('acme-007', SECRETS.acme7, 'getRecordings', [['recordID', recordId], ['state', 'deleted']]))).recordings.recording[0].state, 'deleted');
  t.equal((await fetch(`${p.base}/presentation/${recordId}/metadata.xml`)).status, 404);
  await eventually('its stored objects deleted', async () => (await stat(join(p.dir, 'store', 'acme', recordId)).catch(() => undefined)) === undefined);
  const events: string[] = [];
  for await (const event of p.store.readStream(`recording-${recordId}`)) events.push(event.type);
  t.same(events.slice(-2), ['RecordingDeleted', 'RecordingObjectsDeleted'], 'each step an event of the recording');

  const again = await p.imported(await makeTar(scaleliteEntries(recordId)));
  t.equal(again.state, 'failed');
  t.equal(again.reason, 'recordingDeleted', 'a deleted recording is not resurrected by a late upload');
  await eventually('the late upload’s stored files deleted too', async () => (await stat(join(p.dir, 'store', 'acme', recordId)).catch(() => undefined)) === undefined);
});

t.test('the same upload twice / imported once; a changed one replaces the format', async (t) => {
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'room-2');
  const archive = await makeTar(scaleliteEntries(recordId));
  t.equal((await p.imported(archive)).state, 'imported');
  t.equal((await p.imported(archive)).state, 'imported');
  const changed = await makeTar([...scaleliteEntries(recordId), { name: `presentation/${recordId}/notes.txt`, content: 'new' }]);
  t.equal((await p.imported(changed)).state, 'imported');
  const events = (await call(p.base, '/admin/api/v1/recordings/' + recordId, { token: p.token })).body as { formats: Array<{ files: unknown[] }> };
  t.equal(events.formats[0]!.files.length, 4, 'the replacing upload’s files');
});

t.test('a recording of a meeting no event knows / quarantined with reason unknownMeeting, listed by the admin API', async (t) => {
  const p = await startRecordingsProduct(t);
  const status = await p.imported(await makeTar(scaleliteEntries('ffffffffffffffffffffffffffffffffffffffff-1700000000000')));
  t.equal(status.state, 'failed');
  t.equal(status.reason, 'unknownMeeting');
  const quarantine = (await call(p.base, '/admin/api/v1/recordings/quarantine', { token: p.token })).body as { imports: Array<{ importId: string; reason: string }> };
  t.same(quarantine.imports.map((i) => [i.importId, i.reason]), [[status.importId, 'unknownMeeting']]);
});

t.test('node authentication / forged, expired, wrong-sub and unknown-node tokens are refused with 401', async (t) => {
  const p = await startRecordingsProduct(t);
  const archive = await makeTar(scaleliteEntries('ffffffffffffffffffffffffffffffffffffffff-1700000000000'));
  const forged = await p.nodeToken({}, 'not-the-node-secret');
  const expired = await p.nodeToken({ expSeconds: -600 });
  const tooLong = await p.nodeToken({ expSeconds: 7200 });
  const unknownNode = await p.nodeToken({ sub: 'elsewhere.example:443' });
  for (const [what, token] of [['forged', forged], ['expired', expired], ['exp more than an hour ahead', tooLong], ['unknown node', unknownNode], ['no token', '']] as const) {
    const response = await p.upload(archive, { authorization: token ? `Bearer ${token}` : '' });
    t.equal(response.status, 401, what);
    t.match(((await response.json()) as { detail: string }).detail, /token|Bearer|node/, `${what}: says why`);
  }
});

t.test('bad uploads / wrong type 415, past the limit 413, truncated 400; nothing staged', async (t) => {
  const p = await startRecordingsProduct(t);
  t.equal((await p.upload(Buffer.from('x'), { 'content-type': 'text/plain' })).status, 415);
  t.equal((await p.upload(Buffer.alloc(2 * 1024 * 1024))).status, 413);
  const imports = (await call(p.base, '/admin/api/v1/recordings/imports', { token: p.token })).body as { imports: unknown[] };
  t.same(imports.imports, [], 'no import was registered');
});

t.test('getRecordings pagination and a 10,000-entry recordID list / BBB’s pagination block; answered', async (t) => {
  const p = await startRecordingsProduct(t);
  const ids = [];
  for (const name of ['room-a', 'room-b', 'room-c']) {
    const recordId = await p.meeting('acme', SECRETS.acme, name);
    ids.push(recordId);
    await p.imported(await makeTar(scaleliteEntries(recordId)));
  }
  const page = await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['limit', '2'], ['offset', '1']]));
  t.equal(page.recordings.recording.length, 2);
  t.same(page.pagination, { pageable: { offset: '1', limit: '2', paged: 'true', unpaged: 'false' }, totalElements: '3', empty: 'false' });
  const many = Array.from({ length: 10_000 }, (_, i) => `${i.toString(16).padStart(40, '0')}-1700000000000`).concat(ids[0]!);
  const query = signedQuery('getRecordings', [], SECRETS.acme, 'sha256');
  const response = await fetch(`${p.base}/t/acme/bigbluebutton/api/getRecordings?${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `recordID=${encodeURIComponent(many.join(','))}` });
  const answer = (recordingsParser.parse(await response.text()) as { response: Record<string, any> }).response;
  t.equal(answer.returncode, 'SUCCESS');
  t.equal(answer.recordings.recording.length, 1);
});

t.test('B3LB root layout and a per-format tar.gz / both imported', async (t) => {
  const p = await startRecordingsProduct(t);
  const first = await p.meeting('acme', SECRETS.acme, 'b3lb');
  const root = await makeTar([{ name: './metadata.xml', content: metadataXml(first) }, { name: './video/webcams.webm', content: 'w' }]);
  t.equal((await p.imported(root)).state, 'imported');
  const second = await p.meeting('acme', SECRETS.acme, 'bbblb');
  const gz = await makeTar(scaleliteEntries(second), true);
  const response = await p.upload(gz, { 'content-type': 'application/gzip' });
  t.equal(response.status, 202);
  const { importId } = (await response.json()) as { importId: string };
  await eventually('imported', async () => (await p.importStatus(importId)).state === 'imported');
});

t.test('the presentation player / served from PLAYBACK_PLAYER_DIR for a published recording only', async (t) => {
  const playerDir = await mkdtemp(join(tmpdir(), 'player-'));
  t.teardown(() => rm(playerDir, { recursive: true, force: true }));
  await mkdir(join(playerDir, 'static'), { recursive: true });
  await writeFile(join(playerDir, 'index.html'), '<html>player</html>');
  await writeFile(join(playerDir, 'static', 'main.js'), 'js');
  const p = await startRecordingsProduct(t, { PLAYBACK_PLAYER_DIR: playerDir });
  const recordId = await p.meeting('acme', SECRETS.acme, 'played');
  await p.imported(await makeTar(scaleliteEntries(recordId)));
  const page = await fetch(`${p.base}/playback/presentation/2.3/${recordId}`);
  t.equal(page.status, 200);
  t.equal(await page.text(), '<html>player</html>');
  t.equal(await (await fetch(`${p.base}/playback/presentation/2.3/static/main.js`)).text(), 'js');
  t.equal((await fetch(`${p.base}/playback/presentation/2.3/ffffffffffffffffffffffffffffffffffffffff-1700000000000`)).status, 404);
  t.equal((await fetch(`${p.base}/playback/presentation/2.3/../../../etc/passwd`)).status, 404);
});

t.test('Scalelite’s spool directory / a dropped <record_id>.tar is imported and removed', async (t) => {
  const spool = await mkdtemp(join(tmpdir(), 'spool-'));
  t.teardown(() => rm(spool, { recursive: true, force: true }));
  const p = await startRecordingsProduct(t, { RECORDINGS_SPOOL_DIR: spool, RECORDINGS_SPOOL_INTERVAL_MS: '100' });
  const recordId = await p.meeting('acme', SECRETS.acme, 'spooled');
  await writeFile(join(spool, `.${recordId}.tar.partial`), 'rsync still writing');
  await writeFile(join(spool, `${recordId}.tar`), await makeTar(scaleliteEntries(recordId)));
  await eventually('listed', async () => (await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]))).recordings?.recording?.length === 1);
  const { readdir } = await import('node:fs/promises');
  await eventually('spool file removed', async () => !(await readdir(spool)).includes(`${recordId}.tar`));
  t.same(await readdir(spool), [`.${recordId}.tar.partial`], 'a file rsync is still writing is left alone');
});

t.test('an upload cut off mid-body / nothing registered, nothing left staged', async (t) => {
  const p = await startRecordingsProduct(t);
  const { request } = await import('node:http');
  const { readdir } = await import('node:fs/promises');
  const token = await p.nodeToken();
  await new Promise<void>((resolve) => {
    const req = request(`${p.base}/node/api/v1/recordings`, { method: 'POST', headers: { 'content-type': 'application/x-tar', 'content-length': 100_000, authorization: `Bearer ${token}` } });
    req.on('error', () => resolve());
    req.on('response', () => resolve());
    req.write(Buffer.alloc(10_000));
    setTimeout(() => req.destroy(), 200);
  });
  await eventually('the staged part removed', async () => {
    const staged = await readdir(join(p.dir, 'store', '.imports')).catch(() => []);
    return staged.length === 0;
  });
  const imports = (await call(p.base, '/admin/api/v1/recordings/imports', { token: p.token })).body as { imports: unknown[] };
  t.same(imports.imports, []);
});

t.test('DELETE /admin/api/v1/recordings/:recordID / deleted at once (202), its objects removed by the object deletion process', async (t) => {
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'admin-deleted');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  const removed = await call(p.base, `/admin/api/v1/recordings/${recordId}`, { method: 'DELETE', token: p.token });
  t.equal(removed.status, 202);
  t.same(removed.body, { recordId, state: 'deleted' });
  t.equal((await fetch(`${p.base}/presentation/${recordId}/metadata.xml`)).status, 404);
  await eventually('its stored objects deleted', async () => (await stat(join(p.dir, 'store', 'acme', recordId)).catch(() => undefined)) === undefined);
  t.equal(((await call(p.base, `/admin/api/v1/recordings/${recordId}`, { token: p.token })).body as { state: string }).state, 'deleted');
});
