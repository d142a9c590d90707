import t, { type Test } from 'tap';
import { checksumOf, signedQuery } from '../../../src/domain/bbb/checksum.js';
import { BASE_DOMAIN, startParityProduct, type Exchange } from './parityHarness.js';

/**
 * The fast getMeetings path against Koa alone, on ONE composed product (as fastJoin.int.test.ts): every request
 * goes to both, and status, headers (names, order, values) and body must be the same. Only the plain successful
 * getMeetings may be answered fast.
 */
const SECRET = 'acme-secret-for-the-fast-get-meetings-test';
const SUB_SECRET = 'acme-007-secret-for-the-fast-get-meetings-test';
const EMPTY_SECRET = 'empty-secret-for-the-fast-get-meetings-test';
const { koaOnly, admin, send, sendFast } = await startParityProduct(t, { nodeAlgorithms: [undefined] });
await admin('/admin/api/v1/tenants', { name: 'acme', secrets: [SECRET] });
await admin('/admin/api/v1/tenants/acme/secrets', { secret: SUB_SECRET, subId: 7 });
await admin('/admin/api/v1/tenants', { name: 'empty', secrets: [EMPTY_SECRET] });

type Params = Array<[string, string]>;
const signed = (call: string, params: Params, secret = SECRET) => signedQuery(call, params, secret, 'sha256');
const api = (call: string, query: string, tenant = 'acme') => `/t/${tenant}/bigbluebutton/api/${call}?${query}`;
const list = (secret = SECRET, tenant = 'acme', params: Params = []) => api('getMeetings', signed('getMeetings', params, secret), tenant);

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
