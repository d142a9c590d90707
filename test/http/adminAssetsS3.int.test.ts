import { createHash } from 'node:crypto';
import t from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { CSS } from '../support/assetSamples.js';
import { adminToken, call } from '../support/httpHarness.js';
import { startS3rver } from '../support/s3rverHarness.js';

t.test('assets with S3 / stored in the bucket under .assets/<sha256>, served by bbb-ledger with their type and cache headers', async (t) => {
  const s3 = await startS3rver();
  t.teardown(s3.stop);
  const { settings } = s3;
  const { base } = await startAdminProduct(t, 'in-process', {
    S3_ENDPOINT: settings.endpoint!, S3_BUCKET: settings.bucket, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true',
  });
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: ['acme-assets-s3-secret-01'] } })).status, 201);
  const put = await fetch(`${base}/admin/api/v1/tenants/acme/assets/css`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: CSS() });
  t.equal(put.status, 200);
  const hash = createHash('sha256').update(CSS()).digest('hex');
  t.equal(await s3.storage.size(`.assets/${hash}`), CSS().length);
  const served = await fetch(`${base}/assets/acme/css?v=${hash}`);
  t.equal(served.status, 200);
  t.equal(served.headers.get('content-type'), 'text/css; charset=utf-8');
  t.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.equal(await served.text(), CSS().toString());
});
