import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import t from 'tap';
import { deliver, retryDelivery } from '../../src/outbound/delivery.js';
import { recordingReadyForm, signRecordingReady } from '../../src/outbound/recordingReady.js';
import { serve } from '../support/httpHarness.js';

interface Received {
  method: string;
  path: string;
  host: string;
  contentType: string | undefined;
  body: string;
}

/** A receiver answering by path: `/status/<code>`, `/redirect/<code>?to=<url>`, `/silent` (never answers), else 200. */
async function receiver(t: Parameters<typeof serve>[0]) {
  const received: Received[] = [];
  const base = await serve(t, async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', 'http://x');
    received.push({ method: req.method ?? '', path: url.pathname, host: req.headers.host ?? '', contentType: req.headers['content-type'], body });
    const [, kind, code] = url.pathname.split('/');
    if (kind === 'silent') return;
    if (kind === 'redirect') {
      res.writeHead(Number(code), { location: url.searchParams.get('to') ?? '' }).end();
    } else {
      res.writeHead(kind === 'status' ? Number(code) : 200).end('thanks');
    }
  });
  return { base, received };
}

const SECRET = 'tenant-secret-0123456789';
const open = { allowPrivate: true, deadlineMs: 30_000 } as const;

t.test('the recording-ready callback arrives as BBB sends it: a form field signed_parameters, HS256 JWT of meeting_id and record_id', async (t) => {
  const { base, received } = await receiver(t);
  const jwt = await signRecordingReady({ meetingId: 'tenant-room-1', recordId: 'abc-1700000000000' }, SECRET);
  const outcome = await deliver({ ...open, url: `${base}/hook`, method: 'POST', ...recordingReadyForm(jwt) });
  t.match(outcome, { outcome: 'delivered', status: 200 });
  t.equal(received.length, 1);
  t.match(received[0], { method: 'POST', path: '/hook', contentType: 'application/x-www-form-urlencoded' });
  const signed = new URLSearchParams(received[0]?.body).get('signed_parameters') ?? '';
  t.same(decodeProtectedHeader(signed), { alg: 'HS256', typ: 'JWT' });
  const { payload } = await jwtVerify(signed, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
  t.same(payload, { meeting_id: 'tenant-room-1', record_id: 'abc-1700000000000' }, 'no other claims, as ruby-jwt writes it');
});

t.test('without CALLBACKS_ALLOW_PRIVATE a loopback receiver is refused and never called', async (t) => {
  const { base, received } = await receiver(t);
  const outcome = await deliver({ ...open, allowPrivate: false, url: `${base}/hook`, method: 'POST', body: 'x' });
  t.match(outcome, { outcome: 'refused', reason: 'loopback' });
  t.same(received, []);
  t.same(retryDelivery(outcome, 1, { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 }, Math.random), { retry: false });
});

t.test('the connection goes to the address that was checked, the Host header keeps the name', async (t) => {
  const { base, received } = await receiver(t);
  const port = new URL(base).port;
  const lookup = (host: string) => (host === 'receiver.test' ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : Promise.reject(new Error('ENOTFOUND')));
  const outcome = await deliver({ ...open, lookup, url: `http://receiver.test:${port}/pinned`, method: 'GET' });
  t.match(outcome, { outcome: 'delivered' });
  t.match(received[0], { path: '/pinned', host: `receiver.test:${port}` });
});

t.test('a name with an IPv6 address that does not answer still reaches its IPv4 one (every checked address is tried)', async (t) => {
  const { base, received } = await receiver(t);
  const port = new URL(base).port;
  const lookup = () => Promise.resolve([{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]);
  t.match(await deliver({ ...open, lookup, url: `http://dual.test:${port}/both`, method: 'GET' }), { outcome: 'delivered' });
  t.match(received[0], { path: '/both' });
});

t.test('redirects: 302 turns the POST into a GET, 307 repeats the POST with its body', async (t) => {
  const { base, received } = await receiver(t);
  t.match(await deliver({ ...open, url: `${base}/redirect/302?to=/landed`, method: 'POST', body: 'a=1' }), { outcome: 'delivered', url: `${base}/landed` });
  t.match(received[1], { method: 'GET', path: '/landed', body: '' });
  t.match(await deliver({ ...open, url: `${base}/redirect/307?to=${encodeURIComponent(`${base}/again`)}`, method: 'POST', body: 'a=1' }), { outcome: 'delivered' });
  t.match(received[3], { method: 'POST', path: '/again', body: 'a=1' });
});

t.test('every redirect hop is checked again: a hop to a refused URL is refused, and redirects are bounded', async (t) => {
  const { base, received } = await receiver(t);
  t.match(await deliver({ ...open, url: `${base}/redirect/302?to=file:///etc/passwd`, method: 'GET' }), { outcome: 'refused', reason: 'scheme', url: 'file:///etc/passwd' });
  const lookup = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
  t.match(await deliver({ ...open, lookup, url: `${base}/redirect/302?to=http://elsewhere.test/`, method: 'GET' }), { outcome: 'refused', reason: 'unresolvable' });
  const loop = `${base}/redirect/302?to=${encodeURIComponent(`${base}/redirect/302?to=/redirect/301`)}`;
  const bounded = await deliver({ ...open, url: loop, method: 'GET', maxRedirects: 3 });
  t.match(bounded, { outcome: 'failed', retryable: false, message: /more than 3 redirects/ });
  t.ok(received.length <= 2 + 4, `${received.length} requests, bounded`);
});

t.test('answers: 404 and 410 are gone, 5xx and 429 are worth retrying, other 4xx are not', async (t) => {
  const { base } = await receiver(t);
  const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000, jitter: 0 };
  for (const [code, expected, retry] of [[404, 'gone', false], [410, 'gone', false], [503, 'failed', true], [429, 'failed', true], [400, 'failed', false], [401, 'failed', false]] as const) {
    const outcome = await deliver({ ...open, url: `${base}/status/${code}`, method: 'POST', body: '' });
    t.match(outcome, { outcome: expected, status: code }, String(code));
    t.equal(retryDelivery(outcome, 1, policy, Math.random).retry, retry, `${code} retry`);
  }
  const failed = await deliver({ ...open, url: `${base}/status/500`, method: 'POST' });
  t.same(retryDelivery(failed, 2, policy, () => 0), { retry: true, delayMs: 2000 }, 'the second failure waits twice the base');
  t.same(retryDelivery(failed, 3, policy, () => 0), { retry: false }, 'the last attempt is the last');
});

t.test('a receiver that never answers fails at the deadline as retryable', async (t) => {
  const { base } = await receiver(t);
  const outcome = await deliver({ ...open, deadlineMs: 300, url: `${base}/silent`, method: 'POST', body: 'x' });
  t.match(outcome, { outcome: 'failed', retryable: true, message: /no answer within 300 ms/ });
});

t.test('a closed port fails as retryable with the reason', async (t) => {
  const outcome = await deliver({ ...open, url: 'http://127.0.0.1:9/', method: 'GET' });
  t.match(outcome, { outcome: 'failed', retryable: true, message: /ECONNREFUSED/ });
});
