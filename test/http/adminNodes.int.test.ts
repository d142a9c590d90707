import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { adminToken, ADMIN_SECRET, call } from '../support/httpHarness.js';

/** The whole app as main.ts composes it, on the memory store, with in-process or Redis read models. */
async function startApp(t: Test, readModels: 'in-process' | 'redis'): Promise<string> {
  return (await startAdminProduct(t, readModels)).base;
}

const registration = { url: 'https://bbb1.example.com/bigbluebutton/api', secret: 'topsecret', tags: ['eu'], loadFactor: 2 };

for (const readModels of ['in-process', 'redis'] as const) {
  t.test(`with ${readModels} read models`, async (t) => {
    const base = await startApp(t, readModels);
    const token = await adminToken();

    t.test('register then list: the new node is listed at once, without its secret', async (t) => {
      const created = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: registration });
      t.equal(created.status, 201);
      t.match(created.body, { url: 'https://bbb1.example.com/bigbluebutton/api/', tags: ['eu'], loadFactor: 2, adminState: 'enabled', registeredAt: String });
      const id = String(created.body?.id);
      t.equal(created.headers.get('location'), `/admin/api/v1/nodes/${id}`);
      const list = await call(base, '/admin/api/v1/nodes', { token });
      t.equal(list.status, 200);
      t.same((list.body?.nodes as { id: string }[]).map((n) => n.id), [id]);
      t.notMatch(JSON.stringify(list.body), /topsecret/);
      const one = await call(base, `/admin/api/v1/nodes/${id}`, { token });
      t.same(one.body, created.body);
    });

    t.test('a retried POST with the same Idempotency-Key registers one node', async (t) => {
      const headers = { 'idempotency-key': randomUUID() };
      const body = { ...registration, url: 'https://bbb9.example.com/bigbluebutton/api/' };
      const first = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body, headers });
      const second = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body, headers });
      t.equal(first.status, 201);
      t.equal(second.status, 201);
      t.equal(second.body?.id, first.body?.id);
      const conflicting = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { ...body, secret: 'other' }, headers });
      t.equal(conflicting.status, 409);
      t.match(conflicting.body, { code: 'ILLEGAL_STATE', status: 409 });
    });

    t.test('an unknown node id answers 404 problem details', async (t) => {
      const res = await call(base, '/admin/api/v1/nodes/nope', { token });
      t.equal(res.status, 404);
      t.match(res.body, { type: /^urn:bbb-ledger:problem:/, title: 'Not found', status: 404, detail: /nope/ });
    });

    t.test('health reports the store and the projections', async (t) => {
      const res = await call(base, '/health');
      t.equal(res.status, 200);
      t.match(res.body, { status: 'ok', eventStore: 'memory', projections: [{ name: 'nodeList', state: 'live' }] });
    });
  });
}

t.test('authentication and authorisation', async (t) => {
  const base = await startApp(t, 'in-process');
  const cases: [string, () => Promise<string | undefined>, number, RegExp][] = [
    ['no token', async () => undefined, 401, /Bearer/],
    ['a token signed with another key', () => adminToken({ scope: 'admin' }, 'another-secret-another-secret-another'), 401, /not a valid/],
    ['an expired token', () => adminToken({ scope: 'admin' }, ADMIN_SECRET, Math.floor(Date.now() / 1000) - 60), 401, /expired/],
    ['a token without the admin scope', () => adminToken({ scope: 'read' }), 403, /admin/],
    ['a token without any scope', () => adminToken({}), 403, /admin/],
    ['a token without exp', () => adminToken({ scope: 'admin' }, ADMIN_SECRET, null), 401, /no "exp".*ADMIN_TOKEN_ALLOW_NO_EXP/],
    ['a token valid for 8 days (longer than the 7-day default)', () => adminToken({ scope: 'admin' }, ADMIN_SECRET, Math.floor(Date.now() / 1000) + 8 * 86_400), 401, /ADMIN_TOKEN_MAX_LIFETIME_S \(604800 s\)/],
  ];
  for (const [what, token, status, detail] of cases) {
    t.test(`with ${what} / answers ${status} problem details`, async (t) => {
      const res = await call(base, '/admin/api/v1/nodes', { token: await token() });
      t.equal(res.status, status);
      t.match(res.headers.get('content-type'), /^application\/problem\+json/);
      t.match(res.body, { status, detail });
      if (status === 401) t.match(res.headers.get('www-authenticate'), /^Bearer/);
    });
  }
  t.test('a garbage bearer value answers 401', async (t) => {
    const res = await call(base, '/admin/api/v1/nodes', { headers: { authorization: 'Bearer not.a.jwt' } });
    t.equal(res.status, 401);
  });
  t.test('scope as an array with extra claims is accepted', async (t) => {
    const res = await call(base, '/admin/api/v1/nodes', { token: await adminToken({ scope: ['read', 'admin'], tenant: 'x' }) });
    t.equal(res.status, 200);
  });
  t.test('scope as a space-separated string is accepted', async (t) => {
    const res = await call(base, '/admin/api/v1/nodes', { token: await adminToken({ scope: 'read admin', exp: Math.floor(Date.now() / 1000) + 60 }) });
    t.equal(res.status, 200);
  });
  t.test('a token valid for 6 days is accepted', async (t) => {
    const res = await call(base, '/admin/api/v1/nodes', { token: await adminToken({ scope: 'admin' }, ADMIN_SECRET, Math.floor(Date.now() / 1000) + 6 * 86_400) });
    t.equal(res.status, 200);
  });
  t.test('an unknown admin path without a token answers 401, not 404', async (t) => {
    t.equal((await call(base, '/admin/api/v1/secret-things')).status, 401);
  });
});

t.test('bad input answers 4xx problem details, never a 500', async (t) => {
  const base = await startApp(t, 'in-process');
  const token = await adminToken();
  const post = (body: unknown, headers?: Record<string, string>) => call(base, '/admin/api/v1/nodes', { method: 'POST', token, body, headers });
  const cases: [string, () => ReturnType<typeof post>, number, string, RegExp][] = [
    ['malformed JSON', () => post('{"url":'), 400, 'MALFORMED_JSON', /not valid JSON/],
    ['a JSON array', () => post([]), 400, 'VALIDATION_FAILED', /JSON object/],
    ['no url', () => post({ secret: 's' }), 400, 'VALIDATION_FAILED', /url is required/],
    ['a non-http url', () => post({ ...registration, url: 'ftp://x/bigbluebutton/api/' }), 400, 'VALIDATION_FAILED', /http or https/],
    ['a url not ending in /api/', () => post({ ...registration, url: 'https://x.example.com/' }), 400, 'VALIDATION_FAILED', /BBB API/],
    ['an empty secret', () => post({ ...registration, secret: '' }), 400, 'VALIDATION_FAILED', /secret/],
    ['loadFactor 0', () => post({ ...registration, loadFactor: 0 }), 400, 'VALIDATION_FAILED', /greater than 0/],
    ['loadFactor as a string', () => post({ ...registration, loadFactor: '2' }), 400, 'VALIDATION_FAILED', /loadFactor/],
    ['tags not strings', () => post({ ...registration, tags: [1] }), 400, 'VALIDATION_FAILED', /tags/],
    ['an unknown field', () => post({ ...registration, sekret: 'x' }), 400, 'VALIDATION_FAILED', /sekret/],
    ['a text/plain body', () => post('x', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
    ['a huge body', () => post({ ...registration, secret: 'x'.repeat(70_000) }), 413, 'BODY_TOO_LARGE', /exceeds/],
  ];
  for (const [what, send, status, code, detail] of cases) {
    t.test(`with ${what} / answers ${status} ${code}`, async (t) => {
      const res = await send();
      t.equal(res.status, status);
      t.match(res.body, { status, code, detail, title: String, type: `urn:bbb-ledger:problem:${code.toLowerCase().replaceAll('_', '-')}` });
      t.notMatch(JSON.stringify(res.body), /at .*\.ts:\d+/, 'no stack trace');
    });
  }
  t.test('an unsupported method on the collection answers 405', async (t) => {
    const res = await call(base, '/admin/api/v1/nodes', { method: 'DELETE', token });
    t.equal(res.status, 405);
    t.match(res.body, { status: 405 });
  });
  t.test('an unknown public path answers 404 problem details', async (t) => {
    const res = await call(base, '/nothing-here');
    t.equal(res.status, 404);
    t.match(res.body, { code: 'ROUTE_NOT_FOUND' });
  });
  t.test('nothing was registered by any of the rejected requests', async (t) => {
    t.same((await call(base, '/admin/api/v1/nodes', { token })).body, { nodes: [] });
  });
});

t.test('configured: ADMIN_TOKEN_ALLOW_NO_EXP=true takes tokens without exp; ADMIN_TOKEN_MAX_LIFETIME_S shortens the lifetime', async (t) => {
  const { base } = await startAdminProduct(t, 'in-process', { ADMIN_TOKEN_ALLOW_NO_EXP: 'true', ADMIN_TOKEN_MAX_LIFETIME_S: '600' });
  t.equal((await call(base, '/admin/api/v1/nodes', { token: await adminToken({ scope: 'admin' }, ADMIN_SECRET, null) })).status, 200);
  t.equal((await call(base, '/admin/api/v1/nodes', { token: await adminToken() })).status, 401, 'an hour is more than 600 s');
  t.equal((await call(base, '/admin/api/v1/nodes', { token: await adminToken({ scope: 'admin' }, ADMIN_SECRET, Math.floor(Date.now() / 1000) + 300) })).status, 200);
});
