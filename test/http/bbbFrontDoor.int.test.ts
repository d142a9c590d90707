import t from 'tap';
import { checksumOf, type ChecksumAlgorithm } from '../../src/domain/bbb/checksum.js';
import { secretIdOf } from '../../src/domain/tenant/validation.js';
import { BODY_LIMIT, echoOf, parseBbb, requestWithHost, startTenantTestServer, type RawAnswer } from './support/tenantTestServer.js';

const S1 = 'acme-main-secret-one';
const S2 = 'acme-main-secret-two';
const S7 = 'acme-sub-seven-secret';
const DOC_SECRET = '639259d4-9dd8-4b25-bf01-95f9567eaf4b';

const server = await startTenantTestServer();
t.teardown(() => server.close());
for (const [path, body] of [
  ['/admin/api/v1/tenants', { name: 'acme', secrets: [S1] }],
  ['/admin/api/v1/tenants/acme/secrets', { secret: S7, subId: 7 }],
  ['/admin/api/v1/tenants', { name: 'docs', secrets: [DOC_SECRET] }],
] as const) {
  const { status } = await server.admin('POST', path, body);
  if (status !== 201) throw new Error(`setup: POST ${path} answered ${status}`);
}

const sign = (call: string, query: string, secret: string, algorithm: ChecksumAlgorithm = 'sha1') => {
  const checksum = checksumOf(algorithm, call, query, secret);
  return query ? `${query}&checksum=${checksum}` : `checksum=${checksum}`;
};

const answers: RawAnswer[] = [];

/** Every BBB answer: HTTP 200, BBB's headers, XML without a stack trace. */
async function bbb(path: string, init: RequestInit = {}): Promise<RawAnswer> {
  const response = await fetch(`${server.base}${path}`, init);
  const answer = { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
  answers.push(answer);
  return answer;
}

async function byHost(host: string, path: string): Promise<RawAnswer> {
  const answer = await requestWithHost(server.port, host, path);
  answers.push(answer);
  return answer;
}

const keyOf = (answer: RawAnswer) => parseBbb(answer.text).messageKey;
const api = (tenant: string, call: string, query: string) => `/t/${tenant}/bigbluebutton/api/${call}?${query}`;

t.test('the API root / answers the version, for known and unknown tenants alike, without a checksum', async (t) => {
  for (const answer of [
    await bbb('/t/acme/bigbluebutton/api'),
    await bbb('/t/nobody/bigbluebutton/api/'),
    await byHost('nobody.lb.example.com', '/bigbluebutton/api'),
    await byHost('lb.example.com', '/bigbluebutton/api/'),
  ]) {
    t.equal(answer.status, 200);
    t.equal(answer.headers['content-type'], 'text/xml;charset=utf-8');
    t.equal(answer.headers['cache-control'], 'no-cache');
    t.same(parseBbb(answer.text), { returncode: 'SUCCESS', version: '2.0', apiVersion: '2.0', bbbVersion: '' });
    t.match(answer.text, '<bbbVersion></bbbVersion>');
  }
});

t.test('tenant by path / resolves tenant, sub 0 and scope, with the params of the query', async (t) => {
  const echo = echoOf((await bbb(api('acme', 'getMeetings', sign('getMeetings', 'a=1&b=x+y&a=2&c=%C3%A9', S1)))).text);
  t.same(echo, { tenant: 'acme', subId: 0, scope: 'acme', call: 'getMeetings', contentType: null, params: { a: '1', b: 'x y', c: 'é' }, rawBody: null });
});

t.test('tenant by subdomain / case-insensitive, port ignored', async (t) => {
  for (const host of ['acme.lb.example.com', 'ACME.Lb.Example.com:8443']) {
    const echo = echoOf((await byHost(host, `/bigbluebutton/api/getMeetings?${sign('getMeetings', '', S1)}`)).text);
    t.same([echo.tenant, echo.subId, echo.scope], ['acme', 0, 'acme'], host);
  }
});

t.test('the worked example of the BBB docs / verifies byte for byte', async (t) => {
  const query = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17';
  const echo = echoOf((await bbb(api('docs', 'create', query))).text);
  t.same(echo.params, { name: 'Test Meeting', meetingID: 'abc123', attendeePW: '111222', moderatorPW: '333444' }, 'checksum is not a param');
});

t.test('sub-secret hosts / each sub signs with its own secrets and gets its own scope', async (t) => {
  const echo = echoOf((await byHost('acme-007.lb.example.com', `/bigbluebutton/api/create?${sign('create', 'meetingID=m', S7)}`)).text);
  t.same([echo.tenant, echo.subId, echo.scope], ['acme', 7, 'acme-007']);
  t.equal(echoOf((await bbb(api('acme-007', 'create', sign('create', 'meetingID=m', S7)))).text).scope, 'acme-007', 'by path too');
  t.equal(keyOf(await byHost('acme-007.lb.example.com', `/bigbluebutton/api/create?${sign('create', 'meetingID=m', S1)}`)), 'checksumError', 'the main secret does not sign for sub 7');
  t.equal(keyOf(await byHost('acme.lb.example.com', `/bigbluebutton/api/create?${sign('create', 'meetingID=m', S7)}`)), 'checksumError', 'nor sub 7 for the main host');
  t.equal(keyOf(await byHost('acme-008.lb.example.com', `/bigbluebutton/api/create?${sign('create', 'meetingID=m', S1)}`)), 'checksumError', 'unknown sub-id');
});

t.test('rotation / both secrets sign while both are active; the revoked one is refused at once', async (t) => {
  const call = (secret: string) => bbb(api('acme', 'isMeetingRunning', sign('isMeetingRunning', 'meetingID=r', secret)));
  const added = await server.admin('POST', '/admin/api/v1/tenants/acme/secrets', { secret: S2 });
  t.equal(added.status, 201);
  t.equal(parseBbb((await call(S1)).text).returncode, 'SUCCESS');
  t.equal(parseBbb((await call(S2)).text).returncode, 'SUCCESS');
  const revoked = await server.admin('DELETE', `/admin/api/v1/tenants/acme/secrets/${secretIdOf(S1)}`);
  t.equal(revoked.status, 200);
  t.equal(keyOf(await call(S1)), 'checksumError');
  t.equal(parseBbb((await call(S2)).text).returncode, 'SUCCESS');
});

t.test('checksum failures / all answer checksumError, indistinguishable from an unknown tenant', async (t) => {
  const wrong = await bbb(api('acme', 'getMeetings', sign('getMeetings', 'x=1', 'not-the-secret')));
  const unknownTenant = await bbb(api('nobody', 'getMeetings', sign('getMeetings', 'x=1', S2)));
  const unknownByHost = await byHost('nobody.lb.example.com', `/bigbluebutton/api/getMeetings?${sign('getMeetings', 'x=1', S2)}`);
  const noTenant = await byHost('lb.example.com', `/bigbluebutton/api/getMeetings?${sign('getMeetings', 'x=1', S2)}`);
  const missing = await bbb(api('acme', 'getMeetings', 'x=1'));
  const empty = await bbb(api('acme', 'getMeetings', 'x=1&checksum='));
  const good = sign('getMeetings', 'x=1', S2);
  const duplicated = await bbb(api('acme', 'getMeetings', `${good}&checksum=${good.split('checksum=')[1]}`));
  const otherCall = await bbb(api('acme', 'getMeetingInfo', good));
  const tampered = await bbb(api('acme', 'getMeetings', good.replace('x=1', 'x=2')));
  const oddLength = await bbb(api('acme', 'getMeetings', `x=1&checksum=${'a'.repeat(50)}`));
  for (const answer of [wrong, unknownTenant, unknownByHost, noTenant, missing, empty, duplicated, otherCall, tampered, oddLength]) {
    t.same(parseBbb(answer.text), { returncode: 'FAILED', messageKey: 'checksumError', message: 'Checksums do not match' });
    t.equal(answer.text, wrong.text, 'byte-identical answers');
  }
});

t.test('algorithms / SHA-1, SHA-256, SHA-384 and SHA-512 by length, hex in either case', async (t) => {
  for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
    t.equal(parseBbb((await bbb(api('acme', 'getMeetings', sign('getMeetings', 'v=1', S2, algorithm)))).text).returncode, 'SUCCESS', algorithm);
  }
  const upper = sign('getMeetings', 'v=1', S2, 'sha256').replace(/checksum=(\w+)/, (_, hex: string) => `checksum=${hex.toUpperCase()}`);
  t.equal(parseBbb((await bbb(api('acme', 'getMeetings', upper))).text).returncode, 'SUCCESS');
});

t.test('oversized query / refused before anything else, even for unknown tenants', async (t) => {
  const padding = (length: number) => `pad=${'x'.repeat(length)}`;
  const atLimit = sign('getMeetings', padding(8192 - 4 - '&checksum='.length - 40), S2);
  t.equal(atLimit.length, 8192);
  t.equal(parseBbb((await bbb(api('acme', 'getMeetings', atLimit))).text).returncode, 'SUCCESS', 'exactly 8 KiB passes');
  const over = sign('getMeetings', padding(8192), S2);
  t.same(parseBbb((await bbb(api('acme', 'getMeetings', over))).text), { returncode: 'FAILED', messageKey: 'validationError', message: 'Request too large: the query string exceeds the limit; send long parameters in a POST body' });
  t.equal(keyOf(await bbb(api('nobody', 'getMeetings', over))), 'validationError');
});

t.test('malformed encoding / invalid UTF-8 and bad percent-escapes are validationError, even correctly signed', async (t) => {
  for (const query of ['name=%FF', 'name=%zz', 'name=%C3%28', 'name=abc%', '%E2%82=1']) {
    const answer = await bbb(api('acme', 'create', sign('create', query, S2)));
    t.same(parseBbb(answer.text), { returncode: 'FAILED', messageKey: 'validationError', message: 'Request not recognized: the query string is not valid percent-encoded UTF-8' }, query);
  }
});

t.test('unknown calls and methods / unsupportedRequest only after the checksum passed', async (t) => {
  t.same(parseBbb((await bbb(api('acme', 'setConfigXML', sign('setConfigXML', '', S2)))).text), { returncode: 'FAILED', messageKey: 'unsupportedRequest', message: 'This request is not supported.' });
  t.equal(keyOf(await bbb(api('acme', 'enter', sign('enter', 'x=1', S2)))), 'unsupportedRequest');
  t.equal(keyOf(await bbb(api('acme', 'enter', sign('enter', 'x=1', 'wrong-secret')))), 'checksumError');
  t.equal(keyOf(await bbb(api('nobody', 'enter', sign('enter', 'x=1', S2)))), 'checksumError', 'unknown tenants cannot probe call names');
  t.equal(keyOf(await bbb(api('acme', 'getMeetings', sign('getMeetings', '', S2)), { method: 'PUT' })), 'unsupportedRequest');
  t.equal(keyOf(await bbb(api('acme', 'end', sign('end', 'meetingID=m', S2)))), 'unsupportedRequest', 'a known call no handler answered');
});

t.test('POST / form body merged after the query (query wins), checksum over the query only', async (t) => {
  const answer = await bbb(api('acme', 'create', sign('create', 'meetingID=q', S2)), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    body: 'meetingID=body&name=Caf%C3%A9+%C3%A9t%C3%A9&checksum=ignored',
  });
  const echo = echoOf(answer.text);
  t.same(echo.params, { meetingID: 'q', name: 'Café été' });
  t.equal(echo.contentType, 'application/x-www-form-urlencoded');
  t.equal(echo.rawBody, 'meetingID=body&name=Caf%C3%A9+%C3%A9t%C3%A9&checksum=ignored');
  t.same(echoOf((await bbb(api('acme', 'create', sign('create', '', S2)), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=r%C3%A9sum%C3%A9' })).text).params, { name: 'résumé' }, 'all parameters in the body: empty query signed');
});

t.test('POST / create keeps an XML body raw; an empty POST needs no Content-Type', async (t) => {
  const xml = '<modules><module name="presentation"><document url="https://example.com/a.pdf"/></module></modules>';
  const echo = echoOf((await bbb(api('acme', 'create', sign('create', 'meetingID=x', S2)), { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: xml })).text);
  t.same([echo.contentType, echo.rawBody, echo.params], ['text/xml', xml, { meetingID: 'x' }]);
  const empty = echoOf((await bbb(api('acme', 'getMeetings', sign('getMeetings', '', S2)), { method: 'POST' })).text);
  t.same([empty.contentType, empty.rawBody], [null, null]);
});

t.test('POST / wrong or missing Content-Type is unsupportedContentType', async (t) => {
  const post = (call: string, contentType: string | undefined, body: string) =>
    bbb(api('acme', call, sign(call, 'meetingID=x', S2)), { method: 'POST', headers: contentType ? { 'Content-Type': contentType } : {}, body: contentType ? body : new Blob([body]) });
  const expected = { returncode: 'FAILED', messageKey: 'unsupportedContentType', message: 'POST request Content-Type is missing or unsupported' };
  t.same(parseBbb((await post('create', 'text/plain', 'x')).text), expected);
  t.same(parseBbb((await post('create', 'application/json', '{}')).text), expected);
  t.same(parseBbb((await post('create', undefined, 'meetingID=y')).text), expected, 'missing');
  t.same(parseBbb((await post('getMeetings', 'application/xml', '<a/>')).text), expected, 'XML only for create and insertDocument');
  t.same(parseBbb((await post('insertDocument', 'application/x-www-form-urlencoded', 'a=b')).text), expected, 'insertDocument takes XML only');
  t.equal(parseBbb((await post('insertDocument', 'application/xml', '<modules/>')).text).returncode, 'SUCCESS');
  t.equal(keyOf(await bbb(api('acme', 'create', sign('create', '', 'wrong')), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })), 'checksumError', 'the checksum first');
});

t.test('POST / oversized or malformed bodies are validationError', async (t) => {
  const large = await bbb(api('acme', 'create', sign('create', '', S2)), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: 'x'.repeat(BODY_LIMIT + 1) });
  t.same(parseBbb(large.text), { returncode: 'FAILED', messageKey: 'validationError', message: 'Request too large: the body exceeds the limit' });
  const atLimit = await bbb(api('acme', 'create', sign('create', '', S2)), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: 'x'.repeat(BODY_LIMIT) });
  t.equal(parseBbb(atLimit.text).returncode, 'SUCCESS');
  const chunked = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1024)));
      controller.close();
    },
  });
  const streamed = await bbb(api('acme', 'create', sign('create', '', S2)), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: chunked, duplex: 'half' } as RequestInit);
  t.equal(keyOf(streamed), 'validationError', 'a chunked body without Content-Length is cut off at the limit too');
  const bad = await bbb(api('acme', 'create', sign('create', '', S2)), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=%FF' });
  t.same(parseBbb(bad.text), { returncode: 'FAILED', messageKey: 'validationError', message: 'Request not recognized: the body is not valid percent-encoded UTF-8' });
});

t.test('a failing call handler / internalError XML, never a 500 or a stack', async (t) => {
  const answer = await bbb(api('acme', 'join', sign('join', 'meetingID=m&fullName=A', S2)));
  t.same(parseBbb(answer.text), { returncode: 'FAILED', messageKey: 'internalError', message: 'The request could not be processed; the error has been logged.' });
  t.notMatch(answer.text, /exploded|secret\/internal/);
});

t.test('other paths / pass through the front door untouched', async (t) => {
  const response = await fetch(`${server.base}/not-bbb`);
  t.equal(response.status, 404);
  t.match(response.headers.get('content-type'), /problem\+json/);
});

t.test('every BBB answer above / was HTTP 200 BBB XML without a stack trace', async (t) => {
  t.ok(answers.length > 60, `${answers.length} answers checked`);
  for (const answer of answers) {
    t.equal(answer.status, 200);
    t.equal(answer.headers['content-type'], 'text/xml;charset=utf-8');
    t.equal(answer.headers['cache-control'], 'no-cache');
    t.notMatch(answer.text, /\bat .*\.(ts|js):\d+|Error:/);
    t.ok(parseBbb(answer.text).returncode);
  }
});
