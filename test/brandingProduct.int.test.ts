import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { startAdminProduct } from './support/adminProduct.js';
import { CSS, PDF, PNG } from './support/assetSamples.js';
import { call } from './support/httpHarness.js';
import { tenantOnNode } from './support/tenantOnNode.js';

/** The composed product with a tenant's logo, slide and stylesheet: what the BBB node gets at create and join. */
const SECRET = 'acme-branding-product-secret';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const dir = await mkdtemp(join(tmpdir(), 'branding-product-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const node = await new BbbNodeSimulator({ secret: 'branding-node-secret' }).start();
t.teardown(() => node.stop());
const { base, composed } = await startAdminProduct(t, 'in-process', { RECORDINGS_DIR: dir, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' });
const { token, api } = await tenantOnNode(composed, base, SECRET, node);
const signed = (bbbCall: string, params: Array<[string, string]>) => api(bbbCall, signedQuery(bbbCall, params, SECRET, 'sha256'));
const putAsset = (kind: string, body: Buffer) => fetch(`${base}/admin/api/v1/tenants/acme/assets/${kind}`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body });
const onNode = (meetingID: string) => node.meetings.get(nodeMeetingIdOf('acme', meetingID));
const create = async (meetingID: string, extra: Array<[string, string]> = []) => (await fetch(signed('create', [['name', 'Lecture'], ['meetingID', meetingID], ['moderatorPW', 'mp'], ['attendeePW', 'ap'], ...extra]))).text();

const logoUrl = `${base}/assets/acme/logo?v=${sha256(PNG())}`;
const slideUrl = `${base}/assets/acme/slide?v=${sha256(PDF())}`;
const cssUrl = `${base}/assets/acme/css?v=${sha256(CSS())}`;

t.before(async () => {
  for (const [kind, bytes] of [['logo', PNG()], ['slide', PDF()], ['css', CSS()]] as const) {
    const answer = await putAsset(kind, bytes);
    if (answer.status !== 200) throw new Error(`setup: ${kind} ${answer.status} ${await answer.text()}`);
  }
});

t.test('create without a body / the node gets logo=<asset URL> and the slide as a pre-uploaded document it can fetch', async (t) => {
  t.match(await create('room-1'), /SUCCESS/);
  const meeting = onNode('room-1')!;
  t.equal(meeting.createParams.logo, logoUrl);
  t.equal(meeting.createBody, `<?xml version="1.0" encoding="UTF-8"?><modules><module name="presentation"><document url="${slideUrl.replace('&', '&amp;')}" filename="acme-slide.pdf"/></module></modules>`);
  t.same(Buffer.from(await (await fetch(slideUrl)).arrayBuffer()), PDF(), 'the node can download the slide');
  t.same(Buffer.from(await (await fetch(meeting.createParams.logo!)).arrayBuffer()), PNG(), 'browsers can load the logo');
  const created = [];
  for await (const e of composed.store.readAll()) if (e.type === 'MeetingCreated') created.push(e.data as { params: Record<string, string> });
  t.equal(created.at(-1)?.params.logo, logoUrl, 'MeetingCreated records the logo the node got');
});

t.test('create with its own logo and XML body / the client’s are kept', async (t) => {
  const own = '<modules><module name="presentation"><document url="https://lms.example.com/deck.pdf"/></module></modules>';
  const answer = await fetch(signed('create', [['name', 'Own'], ['meetingID', 'room-2'], ['logo', 'https://lms.example.com/logo.png']]), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: own });
  t.match(await answer.text(), /SUCCESS/);
  t.equal(onNode('room-2')?.createParams.logo, 'https://lms.example.com/logo.png');
  t.equal(onNode('room-2')?.createBody, own);
});

t.test('a long form-posted create / still created, the slide named by preUploadedPresentation', async (t) => {
  const metas = Array.from({ length: 500 }, (_, i): [string, string] => [`meta_k${i}`, `value number ${i}`]);
  const body = new URLSearchParams([['name', 'Big room'], ['meetingID', 'room-3'], ...metas]).toString();
  const answer = await fetch(api('create', signedQuery('create', [], SECRET, 'sha256')), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  t.match(await answer.text(), /SUCCESS/);
  const meeting = onNode('room-3')!;
  t.equal(meeting.createParams.meta_k499, 'value number 499');
  t.equal(meeting.createParams.logo, logoUrl);
  t.equal(meeting.createParams.preUploadedPresentation, slideUrl);
  t.equal(meeting.createParams.preUploadedPresentationName, 'acme-slide.pdf');
});

t.test('a parameter rule on logo / applies after the branding: block removes it, override replaces it', async (t) => {
  const rules = async (list: unknown[]) => t.equal((await call(base, '/admin/api/v1/tenants/acme/parameters', { method: 'PUT', token, body: { rules: list } })).status, 200);
  await rules([{ call: 'create', param: 'logo', mode: 'block' }]);
  t.match(await create('room-4'), /SUCCESS/);
  t.equal(onNode('room-4')?.createParams.logo, undefined);
  await rules([{ call: 'create', param: 'logo', mode: 'override', value: 'https://cdn.example.com/x.png' }]);
  t.match(await create('room-5'), /SUCCESS/);
  t.equal(onNode('room-5')?.createParams.logo, 'https://cdn.example.com/x.png');
  await rules([]);
});

t.test('join / the node gets the stylesheet URL (fast path and redirect=false alike); a frontend’s own wins', async (t) => {
  const join = (extra: Array<[string, string]> = []) => fetch(signed('join', [['fullName', 'Ann'], ['meetingID', 'room-1'], ['role', 'VIEWER'], ...extra]), { redirect: 'manual' });
  const redirected = await join();
  t.equal(redirected.status, 302);
  const location = new URL(redirected.headers.get('location')!);
  t.equal(location.searchParams.get('userdata-bbb_custom_style_url'), cssUrl);
  t.equal((await fetch(location, { redirect: 'manual' })).status < 500, true, 'the node took the join URL');
  t.match(node.calls.filter((c) => c.call === 'join').at(-1)?.rawQuery, /userdata-bbb_custom_style_url=/);
  t.match(await (await join([['redirect', 'false']])).text(), /SUCCESS/);
  t.equal(new URLSearchParams(node.calls.filter((c) => c.call === 'join').at(-1)?.rawQuery).get('userdata-bbb_custom_style_url'), cssUrl, 'the XML join too');
  const own = await join([['userdata-bbb_custom_style_url', 'https://lms.example.com/room.css']]);
  t.equal(new URL(own.headers.get('location')!).searchParams.get('userdata-bbb_custom_style_url'), 'https://lms.example.com/room.css');
  t.equal(await (await fetch(cssUrl)).text(), CSS().toString(), 'the client can load the stylesheet');
});

t.test('assets removed / creates and joins go without them', async (t) => {
  for (const kind of ['logo', 'slide', 'css']) t.equal((await fetch(`${base}/admin/api/v1/tenants/acme/assets/${kind}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status, 200);
  t.match(await create('room-6'), /SUCCESS/);
  t.equal(onNode('room-6')?.createParams.logo, undefined);
  t.equal(onNode('room-6')?.createBody, undefined);
  const redirected = await fetch(signed('join', [['fullName', 'Ann'], ['meetingID', 'room-6'], ['role', 'VIEWER']]), { redirect: 'manual' });
  t.equal(new URL(redirected.headers.get('location')!).searchParams.get('userdata-bbb_custom_style_url'), null);
});
