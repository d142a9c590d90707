import t, { type Test } from 'tap';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { checksumOf, signedQuery } from '../../src/domain/bbb/checksum.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { silentLogger } from '../../src/logging.js';
import { BbbNodeSimulator, type SimulatorFault } from '../../src/simulator/bbbNodeSimulator.js';
import { ADMIN_SECRET, adminToken, call as adminCall, serve } from '../support/httpHarness.js';
import { parseResponse } from './support/meetingTestServer.js';

/** Bad input on every BBB call of the composed product: BBB XML with the right key, never a 500, a stack or a hang. */
const SECRET = 'acme-secret-for-the-bad-input-test';
const NODE_TIMEOUT_MS = 200;
const CALLS = [
  'create', 'join', 'end', 'isMeetingRunning', 'getMeetingInfo', 'getMeetings', 'insertDocument', 'sendChatMessage',
  'getRecordings', 'publishRecordings', 'deleteRecordings', 'updateRecordings', 'getRecordingTextTracks', 'putRecordingTextTrack',
] as const;

const composed = await compose(
  // Probes make the nodes available fast; a faulty node only ever becomes unstable, so its meeting keeps running.
  loadConfig({
    EVENTSTORE: 'memory',
    ADMIN_JWT_SECRET: ADMIN_SECRET,
    POLL_INTERVAL_MS: '100',
    HEALTH_RECOVER_THRESHOLD: '1',
    HEALTH_FAIL_THRESHOLD: '100',
    NODE_TIMEOUT_MS: String(NODE_TIMEOUT_MS),
  }),
  silentLogger,
);
const nodes = await Promise.all([1, 2, 3].map((i) => new BbbNodeSimulator({ secret: `bad-input-node-${i}` }).start()));
await composed.start();
t.teardown(async () => {
  await composed.stop();
  await Promise.all(nodes.map((n) => n.stop()));
});
const base = await serve(t, composed.requestListener);
const token = await adminToken();
await adminCall(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRET] } });
for (const node of nodes) await adminCall(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } });
for (let tries = 0; composed.nodeDirectory.nodesForPlacement().filter((n) => n.health === 'available').length < 3; tries++) {
  if (tries > 600) throw new Error('setup: the nodes never became available');
  await new Promise((r) => setTimeout(r, 50));
}

type Params = Array<[string, string]>;
const path = (call: string, query: string, tenant = 'acme') => `/t/${tenant}/bigbluebutton/api/${call}?${query}`;
const signed = (call: string, params: Params) => signedQuery(call, params, SECRET, 'sha256');

/** Every answer: bounded by a client timeout (a hang fails the test), no 500, no stack, BBB XML unless a redirect. */
async function bbb(t: Test, target: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${target}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
  const text = await response.text();
  t.notMatch(text, /\bat .*\.(ts|js):\d+|Error:/, 'no stack trace');
  if (response.status === 302) return { status: 302, location: response.headers.get('location') ?? '', xml: undefined };
  t.equal(response.status, 200, `HTTP 200 for ${target.slice(0, 80)}`);
  t.match(response.headers.get('content-type'), /xml|json/);
  return { status: response.status, location: undefined, xml: text.startsWith('{') ? undefined : parseResponse(text), text };
}

const failed = (messageKey: string, message?: string) => ({ returncode: 'FAILED', messageKey, ...(message ? { message } : {}) });
const CHECKSUM = failed('checksumError', 'Checksums do not match');
const TOO_LARGE = failed('validationError', 'Request too large: the query string exceeds the limit; send long parameters in a POST body');
const MALFORMED = failed('validationError', 'Request not recognized: the query string is not valid percent-encoded UTF-8');

t.test('checksum, tenant and encoding refusals / the same for every call, before any handler runs', async (t) => {
  const params: Params = [['meetingID', 'm1'], ['name', 'Room'], ['fullName', 'Al'], ['recordID', 'r1']];
  for (const call of CALLS) {
    const good = signed(call, params);
    const checksum = good.split('checksum=')[1]!;
    const cases: Array<[string, string, object]> = [
      ['wrong checksum', signedQuery(call, params, 'not-the-secret', 'sha256'), CHECKSUM],
      ['missing checksum', good.replace(/&checksum=.*$/, ''), CHECKSUM],
      ['empty checksum', good.replace(/checksum=.*$/, 'checksum='), CHECKSUM],
      ['duplicated checksum', `${good}&checksum=${checksum}`, CHECKSUM],
      ['checksum of another call', signed(call === 'join' ? 'end' : 'join', params), CHECKSUM],
      ['oversized query', signed(call, [...params, ['pad', 'x'.repeat(9000)]]), TOO_LARGE],
      ['invalid UTF-8', `meetingID=%FF&checksum=${checksumOf('sha256', call, 'meetingID=%FF', SECRET)}`, MALFORMED],
      ['bad percent-escape', `meetingID=%zz&checksum=${checksumOf('sha256', call, 'meetingID=%zz', SECRET)}`, MALFORMED],
    ];
    for (const [name, query, expected] of cases) t.same((await bbb(t, path(call, query))).xml, expected, `${call}: ${name}`);
    t.same((await bbb(t, path(call, good, 'nobody'))).xml, CHECKSUM, `${call}: unknown tenant`);
    t.same((await bbb(t, path(call, good, 'acme-042'))).xml, CHECKSUM, `${call}: unknown sub-id`);
  }
});

t.test('missing or unknown meetingID / each call answers as bbb-web 2.5+ would, without calling a node', async (t) => {
  // Health probes (getMeetings) go on in the background; no other call may reach a node.
  const nodeCalls = () => nodes.reduce((n, s) => n + s.calls.filter((c) => c.call !== 'getMeetings').length, 0);
  const before = nodeCalls();
  const notFound = failed('notFound', 'A meeting with that ID does not exist');
  const forciblyEnded = failed('meetingForciblyEnded', 'You can not join a meeting that has already been forcibly ended');
  const cases: Array<[string, Params, object]> = [
    ['create', [['name', 'Room']], failed('validationError', 'Invalid meeting ID')],
    // Empty also breaks the 2–256 size rule, and bbb-web's HashMap reports sizeError before missingParamMeetingID.
    ['create', [['name', 'Room'], ['meetingID', '']], failed('sizeError', 'Meeting ID must be between 2 and 256 characters')],
    ['join', [['fullName', 'Al']], forciblyEnded],
    ['join', [['fullName', 'Al'], ['meetingID', 'nope']], forciblyEnded],
    ['join', [['fullName', 'Al'], ['meetingID', 'nope'], ['redirect', 'false']], forciblyEnded],
    ['end', [], notFound],
    ['end', [['meetingID', 'nope']], notFound],
    ['isMeetingRunning', [], { returncode: 'SUCCESS', running: 'false' }],
    ['isMeetingRunning', [['meetingID', 'nope']], { returncode: 'SUCCESS', running: 'false' }],
    ['getMeetingInfo', [], notFound],
    ['getMeetingInfo', [['meetingID', 'nope']], notFound],
    ['sendChatMessage', [['message', 'hi']], failed('meetingNotFound', 'Meeting not found')],
    ['sendChatMessage', [['meetingID', 'nope'], ['message', 'hi']], failed('meetingNotFound', 'Meeting not found')],
    ['getRecordings', [['meetingID', 'nope']], { returncode: 'SUCCESS', recordings: '', messageKey: 'noRecordings' }],
  ];
  for (const [call, params, expected] of cases) t.match((await bbb(t, path(call, signed(call, params)))).xml, expected, `${call} ${JSON.stringify(params)}`);
  for (const [meetingID, shown] of [[undefined, ''], ['nope', 'nope']] as const) {
    const query = signed('insertDocument', meetingID ? [['meetingID', meetingID]] : []);
    const answer = await bbb(t, path('insertDocument', query), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<modules/>' });
    t.same(answer.xml, { returncode: 'FAILED', message: `Meeting with id [${shown}] not found.` }, `insertDocument meetingID=${meetingID}`);
  }
  const redirected = await bbb(t, path('join', signed('join', [['fullName', 'Al'], ['logoutURL', 'https://lms.example.com/bye']])));
  t.equal(redirected.status, 302, 'join errors redirect to the logoutURL given (§3.3)');
  t.same(JSON.parse(new URL(redirected.location!).searchParams.get('errors')!), [{ key: 'meetingForciblyEnded', message: 'You can not join a meeting that has already been forcibly ended' }]);
  t.equal(nodeCalls(), before, 'no node was called');
});

const create = (meetingID: string) => bbb(t, path('create', signed('create', [['name', 'Room'], ['meetingID', meetingID]])));

t.test('a node that hangs past NODE_TIMEOUT_MS, or answers garbage or HTML / internalError XML for every call sent to it', async (t) => {
  const faults: SimulatorFault[] = [{ kind: 'hang' }, { kind: 'garbage' }, { kind: 'html' }, { kind: 'truncated' }, { kind: 'status', code: 502 }];
  t.match((await create('sick')).xml, { returncode: 'SUCCESS', meetingID: 'sick' });
  const host = nodes.find((n) => n.meetings.size === 1)!;
  const accessFailed = failed('internalError', 'Unable to access meeting on server.');
  const forwarded: Array<[string, Params]> = [
    ['getMeetingInfo', [['meetingID', 'sick']]],
    ['isMeetingRunning', [['meetingID', 'sick']]],
    ['end', [['meetingID', 'sick']]],
    ['sendChatMessage', [['meetingID', 'sick'], ['message', 'hi']]],
    ['join', [['meetingID', 'sick'], ['fullName', 'Al'], ['role', 'VIEWER'], ['redirect', 'false']]],
  ];
  for (const fault of faults) {
    host.fault = fault;
    for (const [call, params] of forwarded) t.same((await bbb(t, path(call, signed(call, params)))).xml, accessFailed, `${fault.kind}: ${call}`);
    const insert = await bbb(t, path('insertDocument', signed('insertDocument', [['meetingID', 'sick']])), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<modules/>' });
    t.same(insert.xml, accessFailed, `${fault.kind}: insertDocument`);
    t.same((await create('sick')).xml, failed('internalError', 'Unable to create meeting on server.'), `${fault.kind}: repeated create`);
    t.match((await bbb(t, path('getMeetings', signed('getMeetings', [])))).xml, { returncode: 'SUCCESS', meetings: { meeting: { meetingID: 'sick' } } }, `${fault.kind}: getMeetings never asks a node`);
    const join = await bbb(t, path('join', signed('join', [['meetingID', 'sick'], ['fullName', 'Al'], ['role', 'VIEWER']])));
    t.ok(join.location?.startsWith(`${host.apiUrl}join?`), `${fault.kind}: a redirecting join still goes to the node (it does not call it)`);
  }
  host.fault = { kind: 'none' };
  t.match((await bbb(t, path('getMeetingInfo', signed('getMeetingInfo', [['meetingID', 'sick']])))).xml, { returncode: 'SUCCESS' }, 'still running: no fault ended it');
});

t.test('nodes down at create / the meeting goes to a node that is up; none left is BBB-style failure', async (t) => {
  const [first, second, third] = nodes as [BbbNodeSimulator, BbbNodeSimulator, BbbNodeSimulator];
  await first.kill();
  second.fault = { kind: 'hang' };
  t.match((await create('failover')).xml, { returncode: 'SUCCESS', meetingID: 'failover' });
  const failover = nodeMeetingIdOf('acme', 'failover');
  t.same(nodes.map((n) => n.meetings.has(failover)), [false, false, true], 'created on the one node that answers');
  third.fault = { kind: 'garbage' };
  t.same((await create('nowhere')).xml, failed('internalError', 'Could not find any available servers.'));
  third.fault = { kind: 'none' };
  second.fault = { kind: 'none' };
  await first.restart();
});
