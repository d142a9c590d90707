import t from 'tap';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { silentLogger } from '../../src/logging.js';
import { ADMIN_SECRET, serve } from '../support/httpHarness.js';
import { tenantOnNode } from '../support/tenantOnNode.js';
import { parseResponse } from './support/meetingTestServer.js';

/** A create whose parameters are too long for a query reaches the node as a form POST, as the client sent it. */
const SECRET = 'acme-secret-for-the-form-post-test';
const composed = await compose(loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' }), silentLogger);
const node = await new BbbNodeSimulator({ secret: 'form-post-node' }).start();
await composed.start();
t.teardown(async () => {
  await composed.stop();
  await node.stop();
});
const base = await serve(t, composed.requestListener);
const { api } = await tenantOnNode(composed, base, SECRET, node);


t.test('a form-posted create with 10,000 meta_ pairs / is created on the node with every one of them', async (t) => {
  const metas = Array.from({ length: 10_000 }, (_, i): [string, string] => [`meta_k${i}`, `value number ${i}`]);
  const body = new URLSearchParams([['name', 'Big room'], ['meetingID', 'big'], ...metas]).toString();
  t.ok(body.length > 200_000, `${body.length} bytes of form`);
  const response = await fetch(api('create', signedQuery('create', [], SECRET, 'sha256')), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  t.match(parseResponse(await response.text()), { returncode: 'SUCCESS', meetingID: 'big' });
  const forwarded = node.calls.filter((c) => c.call === 'create');
  t.equal(forwarded.length, 1);
  t.match(forwarded[0], { method: 'POST', rawQuery: /^checksum=[0-9a-f]{64}$/ }, 'the parameters in a form body, signed over the empty query');
  const info = parseResponse(await (await fetch(api('getMeetingInfo', signedQuery('getMeetingInfo', [['meetingID', 'big']], SECRET, 'sha256')))).text());
  t.equal(Object.keys(info.metadata ?? {}).length, 10_000, 'every meta_ reached the node and came back');
  t.equal(info.metadata?.k9999, 'value number 9999');
});

t.test('a create with short parameters / still reaches the node as a GET', async (t) => {
  const response = await fetch(api('create', signedQuery('create', [['name', 'Small room'], ['meetingID', 'small'], ['meta_lms', 'x']], SECRET, 'sha256')));
  t.match(parseResponse(await response.text()), { returncode: 'SUCCESS' });
  t.match(node.calls.filter((c) => c.call === 'create').at(-1), { method: 'GET', rawQuery: /meta_lms=x/ });
});
