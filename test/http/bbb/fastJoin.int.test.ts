import t from 'tap';
import { checksumOf, signedQuery } from '../../../src/domain/bbb/checksum.js';
import { BASE_DOMAIN, startParityProduct, type Answer, type Exchange } from './parityHarness.js';

/**
 * The fast join path against Koa alone, on ONE composed product: every request goes to both, and status, headers
 * (names, order, values) and body must be the same. Only the plain successful join may be answered fast.
 */
const SECRET = 'acme-secret-for-the-fast-join-test';
const { composed, koaOnly, admin, send, sendFast } = await startParityProduct(t, {
  nodeAlgorithms: ['sha1', 'sha512'],
  bodyEncoding: 'latin1',
  // A node's join XML carries fresh session tokens every time.
  maskBody: (body) => body.replace(/<(user_id|auth_token|session_token)>[^<]*</g, '<$1>…<').replace(/sessionToken=\w+/g, 'sessionToken=…'),
});
await admin('/admin/api/v1/tenants', { name: 'acme', secrets: [SECRET] });

type Params = Array<[string, string]>;
const signed = (call: string, params: Params, secret = SECRET) => signedQuery(call, params, secret, 'sha256');
const join = (query: string, tenant = 'acme') => `/t/${tenant}/bigbluebutton/api/join?${query}`;

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
