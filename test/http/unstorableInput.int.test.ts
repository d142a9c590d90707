import t, { type Test } from 'tap';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { captureLogger, WARN } from '../eventstore/captureLogger.js';
import { freshDatabase } from '../eventstore/postgresTestDb.js';
import { ADMIN_SECRET, call as adminCall, serve } from '../support/httpHarness.js';
import { tenantOnNode } from '../support/tenantOnNode.js';
import { parseResponse } from './support/meetingTestServer.js';

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates), against the real Postgres event store: refused where
 * it enters with BBB's validationError or a 400 naming the field, never a 500, and nothing above debug logged.
 */
const SECRET = 'acme-secret-for-the-unstorable-input-test';
const capture = captureLogger();
const node = new BbbNodeSimulator({ secret: 'unstorable-node' });
let stop = async () => {};
// Registered before the database's drop: teardowns run in order, and the product must let go of it first.
t.teardown(async () => {
  await stop();
  await node.stop();
});
const eventStore = await freshDatabase(t);
const composed = await compose(loadConfig({ EVENTSTORE: eventStore, ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' }), capture.logger);
stop = () => composed.stop();
await node.start();
await composed.start();
const base = await serve(t, composed.requestListener);
const { token, api } = await tenantOnNode(composed, base, SECRET, node);


async function bbb(t: Test, url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  t.equal(response.status, 200, 'HTTP 200, as bbb-web answers refusals');
  return parseResponse(text);
}

t.test('BBB API / a NUL in any parameter is a validationError naming it', async (t) => {
  const create = (params: Array<[string, string]>) => bbb(t, api('create', signedQuery('create', params, SECRET, 'sha256')));
  t.match(await create([['name', 'Room\u0000'], ['meetingID', 'r1']]), { returncode: 'FAILED', messageKey: 'validationError', message: /^Param 'name' contains a character that cannot be stored/ });
  t.match(await create([['name', 'Room'], ['meetingID', 'r1'], ['meta_origin', 'a\u0000b']]), { messageKey: 'validationError', message: /^Param 'meta_origin'/ });
  t.match(await create([['name', 'Room'], ['meetingID', 'r1'], ['meta_\u0000', 'x']]), { messageKey: 'validationError', message: /^Param 'meta_\\u0000'/ });
  const form = new URLSearchParams([['name', 'Room'], ['meetingID', 'r1'], ['meta_lms', '\u0000']]).toString();
  const posted = await bbb(t, api('create', signedQuery('create', [], SECRET, 'sha256')), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  t.match(posted, { messageKey: 'validationError', message: /^Param 'meta_lms'/ }, 'a form body too');

  t.match(await create([['name', 'Room'], ['meetingID', 'r1']]), { returncode: 'SUCCESS' }, 'the same create without it succeeds');
  const join = await bbb(t, api('join', signedQuery('join', [['meetingID', 'r1'], ['fullName', 'Zo\u0000ë'], ['role', 'VIEWER']], SECRET, 'sha256')));
  t.match(join, { messageKey: 'validationError', message: /^Param 'fullName'/ }, 'join too, past the fast path');
  t.match(await bbb(t, api('end', signedQuery('end', [['meetingID', 'r\u00001']], SECRET, 'sha256'))), { messageKey: 'validationError' });
});

t.test('admin API / a NUL or an unpaired surrogate in a JSON field is a 400 naming the field', async (t) => {
  const post = (path: string, body: string) => adminCall(base, path, { method: 'POST', token, body });
  const tenant = await post('/admin/api/v1/tenants', '{"name":"acme\\u0000two"}');
  t.match(tenant, { status: 400, body: { code: 'VALIDATION_FAILED', field: 'name' } });
  const secret = await post('/admin/api/v1/tenants', '{"name":"globex","secrets":["ok-secret-long-enough","bad\\ud800"]}');
  t.match(secret, { status: 400, body: { field: 'secrets[1]' } });
  const tags = await post('/admin/api/v1/nodes', JSON.stringify({ url: node.apiUrl, secret: 's', tags: ['eu\u0000'], loadFactor: 1 }));
  t.match(tags, { status: 400, body: { field: 'tags[0]' } });
  t.equal((await adminCall(base, '/admin/api/v1/tenants/globex', { token })).status, 404, 'nothing was registered');
});

t.test('admin API / a NUL in the path or query is a 4xx, never a 500', async (t) => {
  for (const path of ['/admin/api/v1/tenants/acme%00', '/admin/api/v1/nodes/%00', '/admin/api/v1/history/tenant-acme%00', '/admin/api/v1/asof?at=2026-01-01T00:00:00Z&stream=tenant-%00', '/admin/api/v1/tenants/%E0%A4%A']) {
    const answer = await adminCall(base, path, { token });
    t.ok(answer.status >= 400 && answer.status < 500, `${path}: ${answer.status}`);
  }
  t.match(await adminCall(base, '/admin/api/v1/tenants/acme%00', { token }), { status: 400, body: { field: 'path' } });
});

t.test('none of these client mistakes logged a warning, an error or a stack', async (t) => {
  t.same(capture.lines.filter((l) => l.level >= WARN).map((l) => l.msg), []);
});
