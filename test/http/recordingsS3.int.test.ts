import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import t, { type Test } from 'tap';
import { compose } from '../../src/compose.js';
import { silentLogger } from '../../src/logging.js';
import { S3ObjectStorage } from '../../src/storage/s3Storage.js';
import { freshDatabase } from '../eventstore/postgresTestDb.js';
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

/** s3rver on a port and directory that outlive it: stopped, it is S3 away; started again, the same bucket is back. */
async function restartableS3rver(t: Test) {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-restartable-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  let server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'recordings', configs: [] }] });
  const { port } = (await server.run()) as AddressInfo;
  const settings = { endpoint: `http://127.0.0.1:${port}`, bucket: 'recordings', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  let running = true;
  t.teardown(() => (running ? server.close() : undefined));
  return {
    settings,
    storage: new S3ObjectStorage(settings),
    async stop() {
      await server.close();
      running = false;
    },
    async start() {
      server = new S3rver({ port, address: '127.0.0.1', silent: true, directory });
      await server.run();
      running = true;
    },
  };
}

t.test('a delete while S3 is away, then a restart / the new instance finds the deletion owed in the log and finishes it', async (t) => {
  const s3 = await restartableS3rver(t);
  const p = await startRecordingsProduct(t, { ...s3Env(s3.settings), EVENTSTORE: await freshDatabase(t) });
  const recordId = await p.meeting('acme', SECRETS.acme, 's3-away-at-delete');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  const webcams = `acme/${recordId}/presentation/video/webcams.webm`;
  t.equal(await s3.storage.size(webcams), 4096);

  await s3.stop();
  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'deleteRecordings', [['recordID', recordId]]))).deleted, 'true', 'the delete itself does not need storage');
  t.equal((await fetch(`${p.base}/presentation/${recordId}/metadata.xml`)).status, 404, 'gone for everyone at once');
  await p.stop();

  await s3.start();
  t.equal(await s3.storage.size(webcams), 4096, 'the objects outlived the first instance');
  const again = await compose(p.config, silentLogger);
  await again.start();
  t.teardown(() => again.stop());
  const confirmed = async () => {
    for await (const event of again.store.readStream(`recording-${recordId}`)) if (event.type === 'RecordingObjectsDeleted') return true;
    return false;
  };
  await eventually('the objects confirmed deleted by the new instance', confirmed);
  t.equal(await s3.storage.size(webcams), undefined, 'gone from S3');
});
