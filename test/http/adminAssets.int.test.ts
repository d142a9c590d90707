import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import t from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { CSS, PDF, PNG, SVG } from '../support/assetSamples.js';
import { adminToken, call } from '../support/httpHarness.js';
import { ODT, PPTX } from '../support/storedZip.js';

const T = '/admin/api/v1/tenants';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const dir = await mkdtemp(join(tmpdir(), 'admin-assets-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const { base } = await startAdminProduct(t, 'in-process', { RECORDINGS_DIR: dir });
const token = await adminToken();
const put = (path: string, body: Buffer, contentType = 'application/octet-stream') =>
  fetch(`${base}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
const tenant = async () => (await call(base, `${T}/acme`, { token })).body as Record<string, any>;

t.before(async () => {
  await call(base, T, { method: 'POST', token, body: { name: 'acme', secrets: ['acme-assets-secret-0123'] } });
});

t.test('PUT each kind / 200 with the asset (hash, size, type from the content), shown in GET, served at its URL', async (t) => {
  // The header says SVG; the bytes are a PNG: the bytes win.
  const logo = await put(`${T}/acme/assets/logo`, PNG(), 'image/svg+xml');
  t.equal(logo.status, 200);
  t.same(logo.body.assets.logo, { hash: sha256(PNG()), size: PNG().length, mime: 'image/png' });
  t.equal((await put(`${T}/acme/assets/slide`, PPTX())).status, 200);
  t.equal((await put(`${T}/acme/assets/css`, CSS(), 'text/plain')).status, 200);
  const shown = (await tenant()).assets;
  t.same(Object.keys(shown).sort(), ['css', 'logo', 'slide']);
  t.equal(shown.slide.mime, 'application/vnd.openxmlformats-officedocument.presentationml.presentation');

  const served = await fetch(`${base}/assets/acme/logo?v=${shown.logo.hash}`);
  t.equal(served.status, 200);
  t.equal(served.headers.get('content-type'), 'image/png');
  t.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.equal(served.headers.get('x-content-type-options'), 'nosniff');
  t.same(Buffer.from(await served.arrayBuffer()), PNG());
  const css = await fetch(`${base}/assets/acme/css?v=${shown.css.hash}`);
  t.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  t.equal(await css.text(), CSS().toString());
  const unversioned = await fetch(`${base}/assets/acme/logo`);
  t.equal(unversioned.headers.get('cache-control'), 'no-cache', 'without v: revalidated');
  t.equal((await fetch(`${base}/assets/acme/logo?v=${shown.logo.hash}`, { headers: { 'if-none-match': `"${shown.logo.hash}"` } })).status, 304);
});

t.test('a replaced logo / the old URL keeps answering (running meetings), the new one is current; DELETE removes it from the tenant', async (t) => {
  const old = sha256(PNG());
  t.equal((await put(`${T}/acme/assets/logo`, SVG())).status, 200);
  t.equal((await fetch(`${base}/assets/acme/logo?v=${old}`)).status, 200);
  const svg = await fetch(`${base}/assets/acme/logo?v=${sha256(SVG())}`);
  t.equal(svg.headers.get('content-type'), 'image/svg+xml');
  t.match(svg.headers.get('content-security-policy'), /default-src 'none'/);
  const removed = await fetch(`${base}${T}/acme/assets/logo`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  t.equal(removed.status, 200);
  t.equal((await tenant()).assets.logo, undefined);
  t.equal((await fetch(`${base}/assets/acme/logo`)).status, 404, 'no current logo');
  t.equal((await fetch(`${base}/assets/acme/logo?v=${sha256(SVG())}`)).status, 200, 'a handed-out URL still answers');
  const again = await fetch(`${base}${T}/acme/assets/logo`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  t.equal(again.status, 200, 'a repeated DELETE is answered like the first');
});

t.test('bad input / 4xx with the reason, nothing applied', async (t) => {
  const before = await tenant();
  const refused: Array<[string, Buffer, number, RegExp]> = [
    [`${T}/acme/assets/logo`, PDF(), 415, /application\/pdf.*PNG, JPEG or SVG/],
    [`${T}/acme/assets/slide`, ODT(), 415, /opendocument\.text/],
    [`${T}/acme/assets/css`, Buffer.from('<html><body>hi</body></html>'), 415, /HTML/],
    [`${T}/acme/assets/logo`, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 415, /<script>/],
    [`${T}/acme/assets/logo`, Buffer.concat([PNG(), Buffer.alloc(1024 * 1024)]), 413, /exceeds 1048576 bytes/],
    [`${T}/acme/assets/css`, Buffer.alloc(100 * 1024 + 1, 0x61), 413, /exceeds 102400 bytes/],
    [`${T}/acme/assets/logo`, Buffer.alloc(0), 415, /empty/],
    [`${T}/acme/assets/favicon`, PNG(), 404, /logo, slide or css/],
    [`${T}/nobody/assets/logo`, PNG(), 404, /not registered/],
  ];
  for (const [path, body, status, detail] of refused) {
    const answer = await put(path, body);
    t.equal(answer.status, status, path);
    t.match(answer.body.detail, detail, path);
  }
  t.equal((await fetch(`${base}${T}/acme/assets/logo`, { method: 'PUT', body: PNG() })).status, 401, 'admin only');
  t.equal((await fetch(`${base}/assets/acme/favicon`)).status, 404);
  t.equal((await fetch(`${base}/assets/nobody/logo`)).status, 404);
  t.equal((await fetch(`${base}/assets/acme/css?v=${'0'.repeat(64)}`)).status, 404, 'a hash the tenant never had');
  t.same(await tenant(), before, 'nothing half-applied');
});
