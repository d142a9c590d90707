import t from 'tap';
import { SignJWT } from 'jose';
import { checksumOf } from '../../src/domain/bbb/checksum.js';
import { secretIdOf } from '../../src/domain/tenant/validation.js';
import { parseBbb, startTenantTestServer } from './support/tenantTestServer.js';

const server = await startTenantTestServer();
t.teardown(() => server.close());

const A = 'globex-secret-aaaa';
const B = 'globex-secret-bbbb';
const T = '/admin/api/v1/tenants';

t.test('authentication / the tenants API wants an admin token', async (t) => {
  const none = await fetch(`${server.base}${T}`);
  t.equal(none.status, 401);
  const key = new TextEncoder().encode('some-other-key-of-at-least-32-characters!');
  const forged = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
  t.equal((await server.admin('GET', T, undefined, forged)).status, 401);
});

t.test('POST with secrets / 201 with fingerprints, never the secret', async (t) => {
  const created = await server.admin('POST', T, { name: 'globex', secrets: [A] });
  t.equal(created.status, 201);
  t.equal(created.headers.get('location'), `${T}/globex`);
  t.same(created.body, { name: 'globex', registeredAt: created.body.registeredAt, secrets: [{ secretId: secretIdOf(A), subId: 0 }], requiredTags: [], limits: null, parameters: [], subs: [], recordings: { retentionDays: null, protected: false }, assets: {} });
  t.notMatch(JSON.stringify(created.body), A);
  t.equal(created.headers.get('cache-control'), null);
});

t.test('POST repeated / identical is idempotent, different is a conflict', async (t) => {
  t.equal((await server.admin('POST', T, { name: 'globex', secrets: [A] })).status, 201);
  const conflict = await server.admin('POST', T, { name: 'globex', secrets: [B] });
  t.equal(conflict.status, 409);
  t.match(conflict.body.detail, /already registered/);
});

t.test('POST without secrets / generates one 42-character alphanumeric secret, shown once, that signs API calls', async (t) => {
  const created = await server.admin('POST', T, { name: 'initech' });
  t.equal(created.status, 201);
  t.equal(created.headers.get('cache-control'), 'no-store');
  const generated: { secretId: string; subId: number; secret: string } = created.body.generatedSecret;
  t.match(generated.secret, /^[A-Za-z0-9]{42}$/);
  t.same(created.body.secrets, [{ secretId: generated.secretId, subId: 0 }]);
  t.equal(generated.secretId, secretIdOf(generated.secret));
  const listed = await server.admin('GET', T);
  t.notMatch(JSON.stringify(listed.body), generated.secret, 'never shown again');
  const query = `checksum=${checksumOf('sha256', 'getMeetings', '', generated.secret)}`;
  const answer = await fetch(`${server.base}/t/initech/bigbluebutton/api/getMeetings?${query}`);
  t.equal(parseBbb(await answer.text()).returncode, 'SUCCESS');
});

t.test('POST refused / bad names, bad secrets and bad bodies are 400 or 415 problems', async (t) => {
  const cases: [unknown, string | undefined][] = [
    [{ name: 'Globex' }, 'name'],
    [{ name: 'acme-007' }, 'name'],
    [{ name: 'a' }, 'name'],
    [{}, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'ok-name', secrets: 'abc' }, 'secrets'],
    [{ name: 'ok-name', secrets: ['short'] }, 'secret'],
    [{ name: 'ok-name', secrets: ['ok-name-secret-dddd', 'ok-name-secret-dddd'] }, 'secrets'],
    [{ name: 'ok-name', secret: A }, 'secret'],
    [['globex'], undefined],
  ];
  for (const [body, field] of cases) {
    const answer = await server.admin('POST', T, body);
    t.equal(answer.status, 400, JSON.stringify(body));
    t.equal(answer.body.field, field, JSON.stringify(body));
    t.match(answer.headers.get('content-type'), /problem\+json/);
  }
  const text = await fetch(`${server.base}${T}`, { method: 'POST', headers: { Authorization: `Bearer ${server.adminToken}` }, body: 'name=x' });
  t.equal(text.status, 415);
  t.equal((await server.admin('GET', `${T}/ok-name`)).status, 404, 'nothing was registered');
});

t.test('GET / the list and one tenant, 404 for an unknown one', async (t) => {
  const list = await server.admin('GET', T);
  t.equal(list.status, 200);
  t.same(list.body.tenants.map((x: { name: string }) => x.name), ['globex', 'initech']);
  const one = await server.admin('GET', `${T}/globex`);
  t.same(one.body.secrets, [{ secretId: secretIdOf(A), subId: 0 }]);
  const missing = await server.admin('GET', `${T}/nobody`);
  t.equal(missing.status, 404);
  t.match(missing.body.detail, /not registered/);
});

t.test('POST secrets / given or generated, main or sub hostname', async (t) => {
  const given = await server.admin('POST', `${T}/globex/secrets`, { secret: B, subId: 7 });
  t.equal(given.status, 201);
  t.same(given.body, { tenant: 'globex', secretId: secretIdOf(B), subId: 7 });
  t.equal(given.headers.get('cache-control'), null);
  const generated = await server.admin('POST', `${T}/globex/secrets`, {});
  t.equal(generated.status, 201);
  t.match(generated.body, { tenant: 'globex', subId: 0, secret: /^[A-Za-z0-9]{42}$/ });
  t.equal(generated.headers.get('cache-control'), 'no-store');
  const listed = (await server.admin('GET', `${T}/globex`)).body.secrets;
  t.same(listed, [
    ...[{ secretId: secretIdOf(A), subId: 0 }, { secretId: generated.body.secretId, subId: 0 }].sort((x, y) => x.secretId.localeCompare(y.secretId)),
    { secretId: secretIdOf(B), subId: 7 },
  ]);
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { secret: B, subId: 7 })).status, 201, 'the same again is idempotent');
});

t.test('POST secrets refused / unknown tenant 404, bad input 400, conflicting reuse 409', async (t) => {
  t.equal((await server.admin('POST', `${T}/nobody/secrets`, {})).status, 404);
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { subId: 1000 })).body.field, 'subId');
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { subId: '7' })).status, 400);
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { secret: 'has space 123' })).status, 400);
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { secret: A, extra: 1 })).status, 400);
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { secret: A, subId: 3 })).status, 409, 'a secret signs for one hostname only');
});

t.test('a secret another tenant holds / 409 when added or registered with, and nothing is stored', async (t) => {
  const registered = await server.admin('POST', T, { name: 'umbrella', secrets: [A] });
  t.match(registered, { status: 409, body: { code: 'SECRET_HELD_BY_ANOTHER_TENANT' } });
  t.equal((await server.admin('GET', `${T}/umbrella`)).status, 404, 'not registered');
  t.equal((await server.admin('POST', T, { name: 'umbrella', secrets: ['umbrella-secret-cccc'] })).status, 201);
  const added = await server.admin('POST', `${T}/umbrella/secrets`, { secret: A, subId: 2 });
  t.match(added, { status: 409, body: { code: 'SECRET_HELD_BY_ANOTHER_TENANT', detail: /another tenant/ } });
  t.same((await server.admin('GET', `${T}/umbrella`)).body.secrets, [{ secretId: secretIdOf('umbrella-secret-cccc'), subId: 0 }]);
});

t.test('DELETE secret / rotation, idempotent repeat, no lock-out, 404 for unknown ids', async (t) => {
  const revoked = await server.admin('DELETE', `${T}/globex/secrets/${secretIdOf(A)}`);
  t.equal(revoked.status, 200);
  t.notOk(revoked.body.secrets.some((s: { secretId: string }) => s.secretId === secretIdOf(A)));
  t.equal((await server.admin('DELETE', `${T}/globex/secrets/${secretIdOf(A)}`)).status, 200, 'again: nothing changes');
  t.equal((await server.admin('POST', `${T}/globex/secrets`, { secret: A })).status, 409, 'a revoked secret never comes back');
  t.equal((await server.admin('DELETE', `${T}/globex/secrets/${secretIdOf(B)}`)).status, 200, 'the last sub secret may go');
  const main = (await server.admin('GET', `${T}/globex`)).body.secrets as { secretId: string }[];
  t.equal(main.length, 1);
  const lockout = await server.admin('DELETE', `${T}/globex/secrets/${main[0]!.secretId}`);
  t.equal(lockout.status, 409);
  t.match(lockout.body.detail, /lock the tenant out/);
  t.equal((await server.admin('DELETE', `${T}/globex/secrets/000000000000`)).status, 404);
  t.equal((await server.admin('DELETE', `${T}/nobody/secrets/000000000000`)).status, 404);
});

t.test('PUT tags / sets the tenant\'s required node tags (the whole set), idempotent; bad input 400, unknown 404', async (t) => {
  const put = await server.admin('PUT', `${T}/globex/tags`, { tags: ['large', 'eu', 'eu'] });
  t.equal(put.status, 200);
  t.same(put.body.requiredTags, ['eu', 'large']);
  t.same((await server.admin('GET', `${T}/globex`)).body.requiredTags, ['eu', 'large'], 'a following GET agrees');
  t.equal((await server.admin('PUT', `${T}/globex/tags`, { tags: ['eu', 'large'] })).status, 200, 'again: nothing changes');
  t.same((await server.admin('PUT', `${T}/globex/tags`, { tags: [] })).body.requiredTags, [], 'an empty set frees the tenant');
  t.equal((await server.admin('PUT', `${T}/globex/tags`, { tags: 'eu' })).body.field, 'tags');
  t.equal((await server.admin('PUT', `${T}/globex/tags`, { tags: ['has space'] })).status, 400);
  t.equal((await server.admin('PUT', `${T}/globex/tags`, { tags: [], more: 1 })).status, 400);
  t.equal((await server.admin('PUT', `${T}/nobody/tags`, { tags: ['eu'] })).status, 404);
});

t.test('unknown methods / 405 problem', async (t) => {
  t.equal((await server.admin('PUT', `${T}/globex`, {})).status, 405);
});
