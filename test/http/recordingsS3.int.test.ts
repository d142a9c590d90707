import t from 'tap';
import { eventually } from '../support/eventually.js';
import { makeTar, scaleliteEntries } from '../support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';
import { startS3rver } from '../support/s3rverHarness.js';

const s3Env = (settings: { endpoint: string | undefined; bucket: string }) => ({
  S3_ENDPOINT: settings.endpoint!,
  S3_BUCKET: settings.bucket,
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  S3_FORCE_PATH_STYLE: 'true',
});

t.test('recordings in S3 / imported into the bucket, played by a redirect to a presigned URL', async (t) => {
  const s3 = await startS3rver();
  t.teardown(s3.stop);
  const p = await startRecordingsProduct(t, s3Env(s3.settings));
  const recordId = await p.meeting('acme', SECRETS.acme, 'in-s3');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  t.equal(await s3.storage.size(`acme/${recordId}/presentation/video/webcams.webm`), 4096, 'stored under <tenant>/<recordID>/<format>/<path>');
  t.equal(await s3.storage.size(`.imports/${recordId}`), undefined);
  const played = await fetch(`${p.base}/presentation/${recordId}/video/webcams.webm`, { redirect: 'manual' });
  t.equal(played.status, 302);
  const location = played.headers.get('location')!;
  t.match(location, /X-Amz-Signature=/);
  const fromS3 = await fetch(location, { headers: { range: 'bytes=0-9' } });
  t.equal(fromS3.status, 206, 'the presigned URL serves ranges itself');
  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'deleteRecordings', [['recordID', recordId]]))).deleted, 'true');
  await eventually('delete removes the stored objects', async () => (await s3.storage.size(`acme/${recordId}/presentation/video/webcams.webm`)) === undefined);
});

t.test('S3 unavailable during an upload / 503 with Retry-After, nothing registered, nothing lost on the node', async (t) => {
  const s3 = await startS3rver();
  const p = await startRecordingsProduct(t, s3Env(s3.settings));
  const recordId = await p.meeting('acme', SECRETS.acme, 's3-down');
  await s3.stop();
  const response = await p.upload(await makeTar(scaleliteEntries(recordId)));
  t.equal(response.status, 503);
  t.equal(response.headers.get('retry-after'), '60');
  t.match(((await response.json()) as { detail: string }).detail, /retry/);
  const imports = await fetch(`${p.base}/admin/api/v1/recordings/imports`, { headers: { authorization: `Bearer ${p.token}` } });
  t.same(((await imports.json()) as { imports: unknown[] }).imports, []);
});
