import { readFileSync } from 'node:fs';
import t from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

t.test('GET / / a small index: the version and where to go next', async (t) => {
  const { base } = await startAdminProduct(t, 'in-process');
  const index = await fetch(`${base}/`);
  t.equal(index.status, 200);
  const body = (await index.json()) as { version: string; links: Record<string, string> };
  t.equal(body.version, version);
  t.match(body.links, { health: '/health', adminApi: '/admin/api/v1/', docs: '/docs' });
  for (const link of ['health', 'ping', 'docs']) t.equal((await fetch(`${base}${body.links[link]}`)).status, 200, `${link} answers`);
  t.equal((await fetch(`${base}${body.links.adminApi}`)).status, 401, 'the admin API wants a token');

  const readme = await fetch(`${base}/docs`);
  t.match(readme.headers.get('content-type'), /^text\/markdown/);
  t.match(await readme.text(), /^# bbb-ledger/);
  t.match(await (await fetch(`${base}/docs/decisions.md`)).text(), /^# /m);
  for (const missing of ['/docs/nope.md', '/docs/..%2Fpackage.json', '/docs/../package.json']) t.equal((await fetch(`${base}${missing}`)).status, 404, missing);
});
