import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { compose } from '../../../src/compose.js';
import { loadConfig } from '../../../src/config.js';
import { checksumOf, signedQuery } from '../../../src/domain/bbb/checksum.js';
import { silentLogger } from '../../../src/logging.js';
import { BbbNodeSimulator } from '../../../src/simulator/bbbNodeSimulator.js';
import { ADMIN_SECRET, adminToken, call as adminCall } from '../../support/httpHarness.js';

/**
 * The fast join path against Koa alone, on ONE composed product: every request goes to both, and status, headers
 * (names, order, values) and body must be the same. Only the plain successful join may be answered fast.
 */
const SECRET = 'acme-secret-for-the-fast-join-test';
const BASE_DOMAIN = 'lb.test';
const composed = await compose(
  loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, BASE_DOMAIN, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' }),
  silentLogger,
);
const nodes = await Promise.all(['sha1', 'sha512'].map((a, i) => new BbbNodeSimulator({ secret: `fast-join-node-${i}-${a}` }).start()));
await composed.start();
let fastAnswers = 0;
const servers: Server[] = [
  createServer((req, res) => void composed.requestListener(req, res).then((fast) => (fastAnswers += fast ? 1 : 0))),
  createServer(composed.app.callback()),
];
for (const server of servers) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const [withFastPath, koaOnly] = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
t.teardown(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  await composed.stop();
  await Promise.all(nodes.map((n) => n.stop()));
});

const base = `http://127.0.0.1:${koaOnly}`;
const token = await adminToken();
await adminCall(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRET] } });
for (const [i, node] of nodes.entries()) {
  const body = { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1, checksumAlgorithm: i === 0 ? 'sha1' : 'sha512' };
  await adminCall(base, '/admin/api/v1/nodes', { method: 'POST', token, body });
}
for (let tries = 0; composed.nodeDirectory.nodesForPlacement().filter((n) => n.health === 'available').length < nodes.length; tries++) {
  if (tries > 600) throw new Error('setup: the nodes never became available');
  await new Promise((r) => setTimeout(r, 50));
}

type Params = Array<[string, string]>;
const signed = (call: string, params: Params, secret = SECRET) => signedQuery(call, params, secret, 'sha256');
const join = (query: string, tenant = 'acme') => `/t/${tenant}/bigbluebutton/api/join?${query}`;

interface Exchange {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  /** Raw header names and values in the order sent; Date dropped, a generated request id masked. */
  headers: string[];
  /** Session tokens masked. */
  body: string;
}

function send(port: number, { path, method = 'GET', headers = {}, body }: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = res.rawHeaders.flatMap((value, i, all) => (i % 2 === 1 || /^date$/i.test(value) ? [] : [value, all[i + 1]!]));
        const masked = headers.map((v) => v.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, '<generated id>'));
        // A node's join XML carries fresh session tokens every time.
        const body = Buffer.concat(chunks).toString('latin1').replace(/<(user_id|auth_token|session_token)>[^<]*</g, '<$1>…<').replace(/sessionToken=\w+/g, 'sessionToken=…');
        resolve({ status: res.statusCode ?? 0, headers: masked, body });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The answer of the product with the fast path, and whether the fast path gave it. */
async function sendFast(exchange: Exchange): Promise<{ answer: Answer; fast: boolean }> {
  const before = fastAnswers;
  const answer = await send(withFastPath, exchange);
  return { answer, fast: fastAnswers > before };
}

async function joinedCounts(): Promise<{ moderators: number; viewers: number }> {
  await composed.joinRecorder.flush();
  const counts = { moderators: 0, viewers: 0 };
  for await (const event of composed.store.readAll()) {
    if (event.type !== 'MeetingJoined') continue;
    const data = event.data as { moderators: number; viewers: number };
    counts.moderators += data.moderators;
    counts.viewers += data.viewers;
  }
  return counts;
}

for (const meetingID of ['room-1', 'room-2', 'room 3/ä']) {
  const created = await send(koaOnly, { path: `/t/acme/bigbluebutton/api/create?${signed('create', [['name', 'Room'], ['meetingID', meetingID], ['attendeePW', 'ap'], ['moderatorPW', 'mp']])}` });
  if (!created.body.includes('<returncode>SUCCESS</returncode>')) throw new Error(`setup: create ${meetingID}: ${created.body}`);
}

t.test('a join that redirects to the node / answered by the fast path, byte for byte as Koa answers it, and counted the same', async (t) => {
  const successes: Array<[string, Exchange]> = [
    ['moderator by role', { path: join(signed('join', [['fullName', `Zoë O'Brien & "Friends" +1`], ['meetingID', 'room-1'], ['role', 'MODERATOR']])) }],
    ['viewer by password, awkward name', { path: join(signed('join', [['fullName', '名前 😀 %20 a+b=c;d'], ['meetingID', 'room-2'], ['password', 'ap']])) }],
    ['moderator by password, meetingID with space and umlaut', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'room 3/ä'], ['password', 'mp']])) }],
    ['no role (the node decides, not counted)', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'room-1']])) }],
    ['repeated parameters, first wins', { path: join(`${signed('join', [['fullName', 'First'], ['meetingID', 'room-1'], ['fullName', 'Second'], ['role', 'viewer']])}`) }],
    ['redirect=true and extra parameters', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'room-2'], ['role', 'VIEWER'], ['redirect', 'true'], ['userID', 'u-1'], ['userdata-bbb_x', 'y']])) }],
    ['a given request id', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'room-1'], ['role', 'VIEWER']])), headers: { 'X-Request-Id': 'lms-req.42:a' } }],
    ['an unusable request id', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'room-1'], ['role', 'VIEWER']])), headers: { 'X-Request-Id': 'no spaces allowed' } }],
    ['tenant by subdomain', { path: `/bigbluebutton/api/join?${signed('join', [['fullName', 'Al'], ['meetingID', 'room-2'], ['role', 'MODERATOR']])}`, headers: { Host: `acme.${BASE_DOMAIN}` } }],
    ['trailing slash after the call', { path: `/t/acme/bigbluebutton/api/join/?${signed('join', [['fullName', 'Al'], ['meetingID', 'room-1'], ['role', 'VIEWER']])}` }],
  ];
  const before = await joinedCounts();
  const koaAnswers: Answer[] = [];
  for (const [, exchange] of successes) koaAnswers.push(await send(koaOnly, exchange));
  const afterKoa = await joinedCounts();
  for (const [i, [name, exchange]] of successes.entries()) {
    const { answer, fast } = await sendFast(exchange);
    t.same(answer, koaAnswers[i], `${name}: the same answer as Koa's`);
    t.equal(answer.status, 302, `${name}: a redirect`);
    t.ok(fast, `${name}: answered by the fast path`);
  }
  const afterFast = await joinedCounts();
  const delta = (a: typeof before, b: typeof before) => ({ moderators: b.moderators - a.moderators, viewers: b.viewers - a.viewers });
  t.same(delta(before, afterKoa), { moderators: 3, viewers: 6 }, 'Koa counted the joins with a role');
  t.same(delta(afterKoa, afterFast), delta(before, afterKoa), 'the fast path counted exactly the same joins');
});

t.test('every other join / left to Koa untouched: the same answer, never the fast path', async (t) => {
  const good: Params = [['fullName', 'Al'], ['meetingID', 'room-1'], ['role', 'VIEWER']];
  const form = signed('join', good);
  const others: Array<[string, Exchange]> = [
    ['unknown meeting', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'nope']])) }],
    ['unknown meeting with a logoutURL (error redirect)', { path: join(signed('join', [['fullName', 'Al'], ['meetingID', 'nope'], ['logoutURL', 'https://lms.example.com/bye']])) }],
    ['missing fullName', { path: join(signed('join', [['meetingID', 'room-1']])) }],
    ['blank fullName', { path: join(signed('join', [['fullName', ' \t'], ['meetingID', 'room-1']])) }],
    ['bad checksum', { path: join(signed('join', good, 'not-the-secret')) }],
    ['no checksum', { path: join(form.replace(/&checksum=.*$/, '')) }],
    ['checksum of another call', { path: join(signed('end', good)) }],
    ['unknown tenant', { path: join(form, 'nobody') }],
    ['unknown sub-id', { path: join(form, 'acme-042') }],
    ['unknown subdomain', { path: `/bigbluebutton/api/join?${form}`, headers: { Host: `nobody.${BASE_DOMAIN}` } }],
    ['redirect=false (XML from the node)', { path: join(signed('join', [...good, ['redirect', 'false']])) }],
    ['oversized query', { path: join(signed('join', [...good, ['pad', 'x'.repeat(9000)]])) }],
    ['invalid UTF-8', { path: join(`fullName=%FF&meetingID=room-1&checksum=${checksumOf('sha256', 'join', 'fullName=%FF&meetingID=room-1', SECRET)}`) }],
    ['bad percent-escape', { path: join(`fullName=%zz&meetingID=room-1&checksum=${checksumOf('sha256', 'join', 'fullName=%zz&meetingID=room-1', SECRET)}`) }],
    ['HEAD', { path: join(form), method: 'HEAD' }],
    ['POST with the query', { path: join(form), method: 'POST' }],
    ['POST with a form body', { path: join(''), method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form }],
    ['GET with a body', { path: join(form), headers: { 'Content-Type': 'text/plain', 'Content-Length': '7' }, body: 'ignored' }],
    ['a fragment in the target', { path: `${join(form)}#frag` }],
    ['another call', { path: `/t/acme/bigbluebutton/api/isMeetingRunning?${signed('isMeetingRunning', [['meetingID', 'room-1']])}` }],
    ['the API root', { path: '/t/acme/bigbluebutton/api' }],
  ];
  for (const [name, exchange] of others) {
    const koa = await send(koaOnly, exchange);
    const { answer, fast } = await sendFast(exchange);
    t.same(answer, koa, `${name}: the same answer as Koa's`);
    t.notOk(fast, `${name}: not the fast path`);
  }
});
