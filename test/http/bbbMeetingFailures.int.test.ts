import t from 'tap';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import type { SimulatorFault } from '../../src/simulator/bbbNodeSimulator.js';
import { get, startMeetingTestServer, TENANTS, type MeetingTestServer } from './support/meetingTestServer.js';

const create = (server: MeetingTestServer, meetingID: string) =>
  get(server.url('acme', 'create', [['name', 'Room'], ['meetingID', meetingID]], TENANTS.acme));
const nodeCalls = (server: MeetingTestServer) => server.simulators.reduce((n, s) => n + s.calls.length, 0);

t.test('a node that is down at create / the meeting is placed on another node, the failure recorded', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 2 });
  t.teardown(() => server.close());
  await server.simulators[0]!.kill();
  const created = await create(server, 'failover');
  t.match(created.xml, { returncode: 'SUCCESS', meetingID: 'failover' });
  const node = nodeMeetingIdOf('acme', 'failover');
  t.ok(server.simulators[1]!.meetings.has(node));
  const events = (await server.events()).filter((e) => e.streamId === `meeting-${node}`);
  t.same(events.map((e) => e.type), ['MeetingPlaced', 'MeetingCreateFailed', 'MeetingPlaced', 'MeetingCreated']);
  t.match(events[1]?.data, { nodeId: 'n1', reason: 'connection' });
  t.match(events[3]?.data, { nodeId: 'n2' });
  const join = await get(server.url('acme', 'join', [['meetingID', 'failover'], ['fullName', 'Al'], ['role', 'VIEWER']], TENANTS.acme));
  t.ok(join.location?.startsWith(server.simulators[1]!.apiUrl), 'joins go where it was created');
});

t.test('every node failing the create / internalError "Could not find any available servers.", then a later create starts afresh', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3, nodeTimeoutMs: 300 });
  t.teardown(() => server.close());
  server.simulators[0]!.fault = { kind: 'html' };
  server.simulators[1]!.fault = { kind: 'wrongSecret' };
  server.simulators[2]!.fault = { kind: 'hang' };
  const answer = await create(server, 'doomed');
  t.same(answer.xml, { returncode: 'FAILED', messageKey: 'internalError', message: 'Could not find any available servers.' });
  const node = nodeMeetingIdOf('acme', 'doomed');
  const events = (await server.events()).filter((e) => e.streamId === `meeting-${node}`);
  t.same(events.filter((e) => e.type === 'MeetingCreateFailed').map((e) => (e.data as { reason: string }).reason).sort(), ['badXml', 'checksumError', 'timeout']);
  t.match(events.at(-1), { type: 'MeetingCreateAbandoned', data: { reason: 'noNodeAvailable' } });
  for (const simulator of server.simulators) simulator.fault = { kind: 'none' };
  t.match((await create(server, 'doomed')).xml, { returncode: 'SUCCESS' }, 'the nodes are back: tried again');
});

t.test('no eligible node / internalError without calling any node', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 2 });
  t.teardown(() => server.close());
  server.nodes[0]!.adminState = 'cordoned';
  server.nodes[1]!.health = 'offline';
  t.same((await create(server, 'nowhere')).xml, { returncode: 'FAILED', messageKey: 'internalError', message: 'Could not find any available servers.' });
  t.equal(nodeCalls(server), 0);
});

t.test('a node refusing the create itself / its answer goes to the client, no other node is tried', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 2 });
  t.teardown(() => server.close());
  const node = nodeMeetingIdOf('acme', 'taken');
  server.simulators[0]!.meetings.set(node, { ...(await seed(server, node)), moderatorPW: 'someone-else' });
  const answer = await get(server.url('acme', 'create', [['name', 'Room'], ['meetingID', 'taken'], ['moderatorPW', 'mine']], TENANTS.acme));
  t.match(answer.xml, { returncode: 'FAILED', messageKey: 'idNotUnique' });
  t.equal(server.simulators[1]!.calls.length, 0);
  t.match((await server.events()).at(-1), { type: 'MeetingCreateAbandoned', data: { reason: 'nodeRefused', triedNodeIds: ['n1'] } });
});

/** A meeting as the node would keep it, taken from a create on the second node and removed there. */
async function seed(server: MeetingTestServer, node: string) {
  const simulator = server.simulators[1]!;
  await fetch(`${simulator.apiUrl}create?${signedQuery('create', [['name', 'Seed'], ['meetingID', node]], simulator.secret, 'sha1')}`);
  const meeting = simulator.meetings.get(node)!;
  simulator.meetings.delete(node);
  simulator.calls.length = 0;
  return meeting;
}

t.test('node faults during forwarded calls / internalError "Unable to access meeting on server.", never a 500 or a hang', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 1, nodeTimeoutMs: 300 });
  t.teardown(() => server.close());
  await create(server, 'sick');
  const simulator = server.simulators[0]!;
  const faults: SimulatorFault[] = [{ kind: 'status', code: 500 }, { kind: 'html' }, { kind: 'garbage' }, { kind: 'truncated' }, { kind: 'wrongSecret' }, { kind: 'reset' }, { kind: 'hang' }];
  const calls: Array<[string, Array<[string, string]>]> = [
    ['getMeetingInfo', [['meetingID', 'sick']]],
    ['isMeetingRunning', [['meetingID', 'sick']]],
    ['end', [['meetingID', 'sick']]],
    ['sendChatMessage', [['meetingID', 'sick'], ['message', 'hi']]],
    ['join', [['meetingID', 'sick'], ['fullName', 'Al'], ['role', 'VIEWER'], ['redirect', 'false']]],
  ];
  for (const fault of faults) {
    simulator.fault = fault;
    for (const [call, params] of calls) {
      const answer = await get(server.url('acme', call, params, TENANTS.acme));
      t.equal(answer.status, 200, `${fault.kind} ${call}`);
      t.same(answer.xml, { returncode: 'FAILED', messageKey: 'internalError', message: 'Unable to access meeting on server.' }, `${fault.kind} ${call}`);
    }
  }
  simulator.fault = { kind: 'none' };
  t.match((await get(server.url('acme', 'getMeetingInfo', [['meetingID', 'sick']], TENANTS.acme))).xml, { returncode: 'SUCCESS' }, 'a failed end did not end it');
  simulator.fault = { kind: 'hang' };
  t.same((await create(server, 'sick')).xml, { returncode: 'FAILED', messageKey: 'internalError', message: 'Unable to create meeting on server.' }, 'a repeated create whose node hangs');
});

t.test('a node that lost the meeting / end records it ended by the node and passes notFound on', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 1 });
  t.teardown(() => server.close());
  await create(server, 'lost');
  server.simulators[0]!.meetings.clear();
  t.match((await get(server.url('acme', 'end', [['meetingID', 'lost']], TENANTS.acme))).xml, { returncode: 'FAILED', messageKey: 'notFound' });
  t.match((await server.events()).at(-1), { type: 'MeetingEnded', data: { reason: 'node' } });
  t.match((await get(server.url('acme', 'getMeetings', [], TENANTS.acme))).xml, { messageKey: 'noMeetings' });
});

t.test('requests refused without calling a node', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 1 });
  t.teardown(() => server.close());
  const call = (name: string, params: Array<[string, string]>) => get(server.url('acme', name, params, TENANTS.acme));
  t.same((await call('create', [['meetingID', 'm1']])).xml, { returncode: 'FAILED', messageKey: 'nullError', message: 'You must provide a meeting name' });
  t.same((await call('create', [['name', 'Room']])).xml, { returncode: 'FAILED', messageKey: 'validationError', message: 'Invalid meeting ID' });
  t.same((await call('join', [['meetingID', 'nope'], ['fullName', 'Al']])).xml, { returncode: 'FAILED', messageKey: 'meetingForciblyEnded', message: 'You can not join a meeting that has already been forcibly ended' });
  t.same((await call('join', [['meetingID', 'nope']])).xml, { returncode: 'FAILED', messageKey: 'missingParamFullName', message: 'You must provide your name' });
  const redirected = await call('join', [['meetingID', 'nope'], ['fullName', 'Al'], ['logoutURL', 'https://lms.example.com/bye?x=1']]);
  t.equal(redirected.status, 302);
  const target = new URL(redirected.location!);
  t.equal(`${target.origin}${target.pathname}`, 'https://lms.example.com/bye');
  t.equal(target.searchParams.get('x'), '1');
  t.same(JSON.parse(target.searchParams.get('errors')!), [{ key: 'meetingForciblyEnded', message: 'You can not join a meeting that has already been forcibly ended' }]);
  const preferred = await call('join', [['meetingID', 'nope'], ['logoutURL', 'https://lms.example.com/bye'], ['errorRedirectUrl', 'https://lms.example.com/oops']]);
  t.match(preferred.location, /^https:\/\/lms\.example\.com\/oops\?errors=.*missingParamFullName/);
  t.match((await call('join', [['meetingID', 'nope'], ['fullName', 'Al'], ['logoutURL', 'https://x.example.com/'], ['redirect', 'false']])).xml, { messageKey: 'meetingForciblyEnded' }, 'redirect=false: XML');
  t.same((await call('end', [['meetingID', 'nope']])).xml, { returncode: 'FAILED', messageKey: 'notFound', message: 'A meeting with that ID does not exist' });
  t.same((await call('end', [])).xml, { returncode: 'FAILED', messageKey: 'notFound', message: 'A meeting with that ID does not exist' });
  t.same((await call('getMeetingInfo', [['meetingID', 'nope']])).xml, { returncode: 'FAILED', messageKey: 'notFound', message: 'A meeting with that ID does not exist' });
  t.same((await call('isMeetingRunning', [['meetingID', 'nope']])).xml, { returncode: 'SUCCESS', running: 'false' });
  t.same((await call('sendChatMessage', [['meetingID', 'nope'], ['message', 'x']])).xml, { returncode: 'FAILED', messageKey: 'meetingNotFound', message: 'Meeting not found' });
  t.same((await call('getMeetings', [])).xml, { returncode: 'SUCCESS', meetings: '', messageKey: 'noMeetings', message: 'no meetings were found on this server' });
  const insert = await fetch(server.url('acme', 'insertDocument', [['meetingID', 'nope']], TENANTS.acme), { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<modules/>' });
  t.equal(await insert.text(), '<response><returncode>FAILED</returncode><message>Meeting with id [nope] not found.</message></response>');
  t.equal(nodeCalls(server), 0);
});

t.test('insertDocument, sendChatMessage and join with redirect=false / reach the meeting’s node', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 1 });
  t.teardown(() => server.close());
  await create(server, 'docs');
  const node = nodeMeetingIdOf('acme', 'docs');
  const meeting = server.simulators[0]!.meetings.get(node)!;
  const body = '<modules><module name="presentation"><document url="https://example.com/x.pdf" filename="x.pdf"/></module></modules>';
  const inserted = await fetch(server.url('acme', 'insertDocument', [['meetingID', 'docs']], TENANTS.acme), { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  t.match(await inserted.text(), /<message>Presentation is being uploaded<\/message>/);
  t.same(meeting.insertedDocuments, [body]);
  const joined = await get(server.url('acme', 'join', [['meetingID', 'docs'], ['fullName', 'Al'], ['role', 'MODERATOR'], ['redirect', 'false']], TENANTS.acme));
  t.match(joined.xml, { returncode: 'SUCCESS', messageKey: 'successfullyJoined', meeting_id: meeting.internalMeetingID });
  t.match(joined.xml?.url, new RegExp(`^${server.simulators[0]!.origin}/html5client/join\\?sessionToken=`));
  const chat = await get(server.url('acme', 'sendChatMessage', [['meetingID', 'docs'], ['message', 'Hello & bye'], ['userName', 'Bot']], TENANTS.acme));
  t.match(chat.xml, { returncode: 'SUCCESS' });
  t.same(meeting.chatMessages, [{ userName: 'Bot', message: 'Hello & bye' }]);
  await server.joinsRecorded();
  t.match((await get(server.url('acme', 'getMeetings', [], TENANTS.acme))).xml?.meetings?.meeting, { meetingID: 'docs', participantCount: '1', moderatorCount: '1' });
});

t.test('recording calls / answered as a BBB server without recordings', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 1 });
  t.teardown(() => server.close());
  const call = (name: string, params: Array<[string, string]>) => get(server.url('acme', name, params, TENANTS.acme));
  t.equal((await call('getRecordings', [['meetingID', 'x']])).text, '<response><returncode>SUCCESS</returncode><recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message></response>');
  for (const name of ['publishRecordings', 'deleteRecordings', 'updateRecordings', 'getRecordingTextTracks']) {
    t.same((await call(name, [['publish', 'true']])).xml, { returncode: 'FAILED', messageKey: 'missingParamRecordID', message: 'You must specify a recordID.' }, name);
  }
  t.same((await call('publishRecordings', [['recordID', 'r1']])).xml, { returncode: 'FAILED', messageKey: 'missingParamPublish', message: 'You must specify a publish value true or false.' });
  for (const [name, params] of [['publishRecordings', [['recordID', 'r1'], ['publish', 'true']]], ['deleteRecordings', [['recordID', 'r1']]], ['updateRecordings', [['recordID', 'r1'], ['meta_x', 'y']]]] as const) {
    t.same((await call(name, params.map(([k, v]) => [k, v]))).xml, { returncode: 'FAILED', messageKey: 'notFound', message: 'We could not find recordings' }, name);
  }
  const tracks = await fetch(server.url('acme', 'getRecordingTextTracks', [['recordID', 'r1']], TENANTS.acme));
  t.equal(tracks.headers.get('content-type'), 'application/json');
  t.same(await tracks.json(), { response: { returncode: 'FAILED', messageKey: 'noRecordings', message: 'No recording found for r1' } });
  const put = await fetch(server.url('acme', 'putRecordingTextTrack', [['kind', 'subtitles'], ['lang', 'en']], TENANTS.acme), { method: 'POST' });
  t.same(await put.json(), { response: { returncode: 'FAILED', messageKey: 'paramError', message: 'Missing param recordID.' } });
  t.equal(nodeCalls(server), 0);
});
