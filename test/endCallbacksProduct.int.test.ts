import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { startAdminProduct } from './support/adminProduct.js';
import { eventually } from './support/eventually.js';
import { adminToken, call } from './support/httpHarness.js';

const TENANT_SECRET = 'end-callbacks-product-tenant-secret';

t.test('the composed product: a node’s end callback ends the meeting, the delivery process calls the client, a forgery gets a 403 problem', async (t) => {
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    received.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const lms = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ended`;
  const node = await new BbbNodeSimulator({ secret: 'end-callbacks-node-secret' }).start();
  t.teardown(() => node.stop());

  const { base, composed } = await startAdminProduct(t, 'in-process', { CALLBACKS_ALLOW_PRIVATE: 'true', POLL_INTERVAL_MS: '1000' });
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } })).status, 201);
  t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } })).status, 201);
  const bbb = (callName: string, params: [string, string][]) => fetch(`${base}/t/acme/bigbluebutton/api/${callName}?${signedQuery(callName, params, TENANT_SECRET, 'sha256')}`).then((r) => r.text());
  await eventually('the node takes meetings', async () => (await bbb('create', [['name', 'Lecture'], ['meetingID', 'room'], ['meta_endCallbackUrl', lms]])).includes('SUCCESS'));

  const onNode = [...node.meetings.values()][0]!;
  const endUrl = onNode.createParams['meta_endCallbackUrl']!;
  t.ok(endUrl.startsWith(`${base}/callbacks/meeting-ended/endCallbackUrl/`), endUrl);

  const forged = await call(base, new URL(`${endUrl.slice(0, -2)}xx`).pathname);
  t.equal(forged.status, 403);
  t.match(forged.body, { code: 'CALLBACK_FORBIDDEN', status: 403 });
  t.match(await bbb('getMeetingInfo', [['meetingID', 'room']]), /<returncode>SUCCESS<\/returncode>/, 'a forgery ends nothing');

  t.equal((await fetch(`${endUrl}?recordingmarks=false&meetingID=${onNode.meetingID}`)).status, 200);
  const ended = [];
  for await (const e of composed.store.readAll()) if (e.type === 'MeetingEnded') ended.push(e.data);
  t.match(ended, [{ meetingID: 'room', reason: 'node', evidence: { detail: /endCallbackUrl callback/ } }], 'ended at once, by the callback (the node still runs it: no poll could)');
  await eventually('getMeetingInfo says notFound', async () => (await bbb('getMeetingInfo', [['meetingID', 'room']])).includes('notFound'));
  await eventually('the client URL called', () => received.includes('/ended?recordingmarks=false&meetingID=room'));
});
