import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { compose } from '../../../src/compose.js';
import { loadConfig } from '../../../src/config.js';
import { checksumOf, signedQuery } from '../../../src/domain/bbb/checksum.js';
import { silentLogger } from '../../../src/logging.js';
import { BbbNodeSimulator } from '../../../src/simulator/bbbNodeSimulator.js';
import { ADMIN_SECRET, adminToken, call as adminCall } from '../../support/httpHarness.js';

/**
 * The fast getMeetings path against Koa alone, on ONE composed product (as fastJoin.int.test.ts): every request
 * goes to both, and status, headers (names, order, values) and body must be the same. Only the plain successful
 * getMeetings may be answered fast.
 */
const SECRET = 'acme-secret-for-the-fast-get-meetings-test';
const SUB_SECRET = 'acme-007-secret-for-the-fast-get-meetings-test';
const EMPTY_SECRET = 'empty-secret-for-the-fast-get-meetings-test';
const BASE_DOMAIN = 'lb.test';
const composed = await compose(
  loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, BASE_DOMAIN, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' }),
  silentLogger,
);
const node = await new BbbNodeSimulator({ secret: 'fast-get-meetings-node' }).start();
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
  await node.stop();
});

const base = `http://127.0.0.1:${koaOnly}`;
const token = await adminToken();
await adminCall(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRET] } });
await adminCall(base, '/admin/api/v1/tenants/acme/secrets', { method: 'POST', token, body: { secret: SUB_SECRET, subId: 7 } });
await adminCall(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'empty', secrets: [EMPTY_SECRET] } });
await adminCall(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } });
for (let tries = 0; composed.nodeDirectory.nodesForPlacement().filter((n) => n.health === 'available').length < 1; tries++) {
  if (tries > 600) throw new Error('setup: the node never became available');
  await new Promise((r) => setTimeout(r, 50));
}

type Params = Array<[string, string]>;
const signed = (call: string, params: Params, secret = SECRET) => signedQuery(call, params, secret, 'sha256');
const api = (call: string, query: string, tenant = 'acme') => `/t/${tenant}/bigbluebutton/api/${call}?${query}`;
const list = (secret = SECRET, tenant = 'acme', params: Params = []) => api('getMeetings', signed('getMeetings', params, secret), tenant);

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
        resolve({ status: res.statusCode ?? 0, headers: masked, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function sendFast(exchange: Exchange): Promise<{ answer: Answer; fast: boolean }> {
  const before = fastAnswers;
  const answer = await send(withFastPath, exchange);
  return { answer, fast: fastAnswers > before };
}

async function create(meetingID: string, secret = SECRET, tenant = 'acme'): Promise<void> {
  const query = signed('create', [['name', `Room ${meetingID} & "co" <ä>`], ['meetingID', meetingID], ['attendeePW', 'ap'], ['moderatorPW', 'mp'], ['meta_course', 'Zoë 😀']], secret);
  const created = await send(koaOnly, { path: api('create', query, tenant) });
  if (!created.body.includes('<returncode>SUCCESS</returncode>')) throw new Error(`setup: create ${meetingID}: ${created.body}`);
}

for (const meetingID of ['room-1', 'room-2', 'room 3/ä']) await create(meetingID);
for (const meetingID of ['sub-room-1', 'room-1']) await create(meetingID, SUB_SECRET, 'acme-007');

/** `added`: meetings created in the whole tenant since the first test. */
const successes = (added: number): Array<[string, Exchange, number]> => [
  ['no meetings', { path: list(EMPTY_SECRET, 'empty') }, 0],
  ['the whole tenant (its subs too)', { path: list() }, 5 + added],
  ['a sub-tenant scope', { path: list(SUB_SECRET, 'acme-007') }, 2],
  ['tenant by subdomain', { path: `/bigbluebutton/api/getMeetings?${signed('getMeetings', [])}`, headers: { Host: `acme.${BASE_DOMAIN}` } }, 5 + added],
  ['sub-tenant by subdomain', { path: `/bigbluebutton/api/getMeetings?${signed('getMeetings', [], SUB_SECRET)}`, headers: { Host: `acme-007.${BASE_DOMAIN}` } }, 2],
  ['trailing slash after the call', { path: `/t/acme/bigbluebutton/api/getMeetings/?${signed('getMeetings', [])}` }, 5 + added],
  ['extra parameters', { path: list(SECRET, 'acme', [['x', 'ä b'], ['checksum2', '1']]) }, 5 + added],
  ['a given request id', { path: list(), headers: { 'X-Request-Id': 'lms-req.42:a' } }, 5 + added],
  ['an unusable request id', { path: list(), headers: { 'X-Request-Id': 'no spaces allowed' } }, 5 + added],
];

async function compareSuccesses(t: Test, added: number): Promise<void> {
  for (const [name, exchange, meetings] of successes(added)) {
    // Both orders, so neither path only ever reads what the other cached.
    const koa = await send(koaOnly, exchange);
    const { answer, fast } = await sendFast(exchange);
    const again = await send(koaOnly, exchange);
    t.same(answer, koa, `${name}: the same answer as Koa's`);
    t.same(again, answer, `${name}: Koa's answer after the fast one is the same`);
    t.ok(fast, `${name}: answered by the fast path`);
    t.equal(answer.status, 200, `${name}: 200`);
    t.equal(answer.body.split('<meeting>').length - 1, meetings, `${name}: ${meetings} meetings`);
    if (meetings === 0) t.match(answer.body, '<messageKey>noMeetings</messageKey>', `${name}: the noMeetings answer`);
  }
}

t.test('a getMeetings that succeeds / answered by the fast path, byte for byte as Koa answers it', async (t) => {
  await compareSuccesses(t, 0);
});

t.test('a new meeting / shows in both paths at once (the cached answer is not reused)', async (t) => {
  await create('room-4');
  await compareSuccesses(t, 1);
});

t.test('every other getMeetings / left to Koa untouched: the same answer, never the fast path', async (t) => {
  const form = signed('getMeetings', []);
  const others: Array<[string, Exchange]> = [
    ['bad checksum', { path: list('not-the-secret') }],
    ['no checksum', { path: '/t/acme/bigbluebutton/api/getMeetings' }],
    ['checksum of another call', { path: api('getMeetings', signed('getMeetingInfo', [])) }],
    ['sub secret on the whole tenant', { path: list(SUB_SECRET) }],
    ['unknown tenant', { path: api('getMeetings', form, 'nobody') }],
    ['unknown sub-id', { path: api('getMeetings', form, 'acme-042') }],
    ['unknown subdomain', { path: `/bigbluebutton/api/getMeetings?${form}`, headers: { Host: `nobody.${BASE_DOMAIN}` } }],
    ['oversized query', { path: list(SECRET, 'acme', [['pad', 'x'.repeat(9000)]]) }],
    ['invalid UTF-8', { path: api('getMeetings', `x=%FF&checksum=${checksumOf('sha256', 'getMeetings', 'x=%FF', SECRET)}`) }],
    ['bad percent-escape', { path: api('getMeetings', `x=%zz&checksum=${checksumOf('sha256', 'getMeetings', 'x=%zz', SECRET)}`) }],
    ['HEAD', { path: list(), method: 'HEAD' }],
    ['POST with the query', { path: list(), method: 'POST' }],
    ['POST with a form body', { path: '/t/acme/bigbluebutton/api/getMeetings', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form }],
    ['GET with a body', { path: list(), headers: { 'Content-Type': 'text/plain', 'Content-Length': '7' }, body: 'ignored' }],
    ['a fragment in the target', { path: `${list()}#frag` }],
    ['the API root', { path: '/t/acme/bigbluebutton/api' }],
  ];
  for (const [name, exchange] of others) {
    const koa = await send(koaOnly, exchange);
    const { answer, fast } = await sendFast(exchange);
    t.same(answer, koa, `${name}: the same answer as Koa's`);
    t.notOk(fast, `${name}: not the fast path`);
  }
});
