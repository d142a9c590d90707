import t from 'tap';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { get, startMeetingTestServer, TENANTS } from './support/meetingTestServer.js';

const server = await startMeetingTestServer();
t.teardown(() => server.close());
const { url } = server;
const answers: string[] = [];
const call = async (...args: Parameters<typeof url>) => {
  const answer = await get(url(...args));
  answers.push(answer.text, answer.location ?? '');
  return answer;
};
const meetingOn = (nodeMeetingID: string) => server.simulators.find((s) => s.meetings.has(nodeMeetingID));

t.test('create → join (followed) → getMeetingInfo → getMeetings → end', async (t) => {
  const meetingID = 'Room 42 / ümlaut';
  const node = nodeMeetingIdOf('acme', meetingID);
  const created = await call('acme', 'create', [['name', 'Lecture'], ['meetingID', meetingID], ['moderatorPW', 'mod-pw'], ['attendeePW', 'att-pw'], ['meta_Origin', 'lms']], TENANTS.acme);
  t.match(created.xml, { returncode: 'SUCCESS', meetingID, moderatorPW: 'mod-pw', messageKey: '' });
  const simulator = meetingOn(node);
  t.ok(simulator, 'the node knows the meeting by its scoped ID');
  t.equal(simulator?.meetings.get(node)?.internalMeetingID, created.xml?.internalMeetingID);

  const fullName = `O'Brien "Bob" & <Ann> + 100% 🎉 Zoë`;
  const join = await call('acme', 'join', [['fullName', fullName], ['meetingID', meetingID], ['role', 'MODERATOR']], TENANTS.acme);
  t.equal(join.status, 302);
  t.ok(join.location?.startsWith(`${simulator!.apiUrl}join?`), 'redirected to the node, not proxied');
  t.notMatch(join.location ?? '', /Room/, 'the node URL carries the node meeting ID');
  t.equal((await fetch(join.location!)).status, 200, 'the node accepts the re-signed join URL');
  const followed = await fetch(url('acme', 'join', [['fullName', fullName], ['meetingID', meetingID], ['password', 'att-pw']], TENANTS.acme));
  t.equal(followed.status, 200, 'following the redirects ends in the node’s client');
  t.match(await followed.text(), /BBB client/);
  t.same(simulator!.meetings.get(node)?.attendees.map((a) => [a.fullName, a.role]), [
    [fullName, 'MODERATOR'],
    [fullName, 'VIEWER'],
  ], 'the node recorded the exact name, both joins with their roles');
  await server.joinsRecorded();

  const info = await call('acme', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.acme);
  t.match(info.xml, { returncode: 'SUCCESS', meetingID, meetingName: 'Lecture', participantCount: '2', running: 'true' });

  const list = await call('acme', 'getMeetings', [], TENANTS.acme);
  t.match(list.xml?.meetings?.meeting, { meetingID, meetingName: 'Lecture', internalMeetingID: created.xml?.internalMeetingID, participantCount: '2', moderatorCount: '1', moderatorPW: 'mod-pw', metadata: { origin: 'lms' }, isBreakout: 'false' });

  const running = await call('acme', 'isMeetingRunning', [['meetingID', meetingID]], TENANTS.acme);
  t.match(running.xml, { returncode: 'SUCCESS', running: 'true' });

  const ended = await call('acme', 'end', [['meetingID', meetingID]], TENANTS.acme);
  t.match(ended.xml, { returncode: 'SUCCESS', messageKey: 'sentEndMeetingRequest' });
  t.match((await call('acme', 'getMeetings', [], TENANTS.acme)).xml, { returncode: 'SUCCESS', messageKey: 'noMeetings', meetings: '' });
  t.match((await call('acme', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.acme)).xml, { returncode: 'FAILED', messageKey: 'notFound', message: 'A meeting with that ID does not exist' });
  t.match((await call('acme', 'isMeetingRunning', [['meetingID', meetingID]], TENANTS.acme)).xml, { returncode: 'SUCCESS', running: 'false' });
  t.match((await call('acme', 'end', [['meetingID', meetingID]], TENANTS.acme)).xml, { returncode: 'FAILED', messageKey: 'notFound' });

  const types = (await server.events()).filter((e) => e.streamId === `meeting-${node}`).map((e) => e.type);
  t.same(types, ['MeetingPlaced', 'MeetingCreated', 'MeetingJoined', 'MeetingEnded'], 'both joins in one MeetingJoined');
  const joined = (await server.events()).find((e) => e.streamId === `meeting-${node}` && e.type === 'MeetingJoined');
  t.match(joined, { data: { moderators: 1, viewers: 1 }, metadata: { actor: 'tenant:acme', schemaVersion: 2 } });

  const again = await call('acme', 'create', [['name', 'Lecture'], ['meetingID', meetingID]], TENANTS.acme);
  t.match(again.xml, { returncode: 'SUCCESS', messageKey: '' }, 'an ended meeting can be created again');
  t.not(again.xml?.internalMeetingID, created.xml?.internalMeetingID);
});

t.test('events / carry the tenant scope as actor and the request id as correlation id', async (t) => {
  const response = await fetch(url('acme-007', 'create', [['name', 'Sub'], ['meetingID', 'corr']], TENANTS.acme007), { headers: { 'X-Request-Id': 'req-77' } });
  t.equal(response.status, 200);
  const events = (await server.events()).filter((e) => e.streamId === `meeting-${nodeMeetingIdOf('acme-007', 'corr')}`);
  t.same(events.map((e) => e.type), ['MeetingPlaced', 'MeetingCreated']);
  for (const event of events) t.match(event.metadata, { actor: 'tenant:acme-007', correlationId: 'req-77' });
  t.match(events[0]?.data, { tenant: 'acme', scope: 'acme-007', meetingID: 'corr', params: { name: 'Sub', meetingID: 'corr' }, body: null });
});

t.test('two tenants with the same meetingID / get two meetings and cannot reach each other’s', async (t) => {
  const meetingID = 'shared-room';
  t.match((await call('globex', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.globex)).xml, { messageKey: 'notFound' });
  const a = await call('acme', 'create', [['name', 'Acme room'], ['meetingID', meetingID]], TENANTS.acme);
  t.match((await call('globex', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.globex)).xml, { messageKey: 'notFound' }, 'globex does not see acme’s');
  t.match((await call('globex', 'join', [['fullName', 'Eve'], ['meetingID', meetingID], ['role', 'MODERATOR'], ['redirect', 'false']], TENANTS.globex)).xml, { messageKey: 'meetingForciblyEnded' });
  const g = await call('globex', 'create', [['name', 'Globex room'], ['meetingID', meetingID]], TENANTS.globex);
  t.match(g.xml, { returncode: 'SUCCESS', meetingID, messageKey: '' }, 'a new meeting, not a duplicate');
  t.not(a.xml?.internalMeetingID, g.xml?.internalMeetingID);
  t.match((await call('globex', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.globex)).xml, { meetingName: 'Globex room', internalMeetingID: g.xml?.internalMeetingID });
  t.match((await call('acme', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.acme)).xml, { meetingName: 'Acme room', internalMeetingID: a.xml?.internalMeetingID });
  await call('globex', 'end', [['meetingID', meetingID]], TENANTS.globex);
  t.match((await call('acme', 'getMeetingInfo', [['meetingID', meetingID]], TENANTS.acme)).xml, { returncode: 'SUCCESS', meetingName: 'Acme room' }, 'globex ending its own leaves acme’s running');
  const globexList = (await call('globex', 'getMeetings', [], TENANTS.globex)).xml;
  t.match(globexList, { messageKey: 'noMeetings' });
});

t.test('getMeetings / sub 0 sees every meeting of its tenant, a sub only its own', async (t) => {
  await call('acme-007', 'create', [['name', 'Sub room'], ['meetingID', 'sub-only']], TENANTS.acme007);
  const ids = async (tenant: string, secret: string) => {
    const meetings = (await call(tenant, 'getMeetings', [], secret)).xml?.meetings?.meeting;
    return (Array.isArray(meetings) ? meetings : meetings ? [meetings] : []).map((m: { meetingID: string }) => m.meetingID).sort();
  };
  t.same(await ids('acme-007', TENANTS.acme007), ['corr', 'sub-only']);
  t.ok((await ids('acme', TENANTS.acme)).includes('sub-only'));
  t.ok((await ids('acme', TENANTS.acme)).includes('shared-room'));
  t.match((await call('acme', 'getMeetingInfo', [['meetingID', 'sub-only']], TENANTS.acme)).xml, { messageKey: 'notFound' }, 'the meeting ID is the sub’s: sub 0 addresses its own');
});

t.test('repeated create / goes to the same node, which answers duplicateWarning or idNotUnique', async (t) => {
  const params: Array<[string, string]> = [['name', 'Dup'], ['meetingID', 'dup'], ['moderatorPW', 'mp'], ['attendeePW', 'ap']];
  const first = await call('acme', 'create', params, TENANTS.acme);
  const second = await call('acme', 'create', params, TENANTS.acme);
  t.match(second.xml, { returncode: 'SUCCESS', meetingID: 'dup', internalMeetingID: first.xml?.internalMeetingID, messageKey: 'duplicateWarning' });
  const clash = await call('acme', 'create', [['name', 'Dup'], ['meetingID', 'dup'], ['moderatorPW', 'other']], TENANTS.acme);
  t.match(clash.xml, { returncode: 'FAILED', messageKey: 'idNotUnique' });
  const node = nodeMeetingIdOf('acme', 'dup');
  t.equal(server.simulators.filter((s) => s.meetings.has(node)).length, 1);
  t.match((await call('acme', 'getMeetingInfo', [['meetingID', 'dup']], TENANTS.acme)).xml, { returncode: 'SUCCESS' }, 'a refused repeat leaves the meeting running');
});

t.test('racing creates / agree on one node and one internalMeetingID', async (t) => {
  for (const meetingID of ['race-1', 'race-2', 'race-3']) {
    const params: Array<[string, string]> = [['name', 'Race'], ['meetingID', meetingID]];
    const results = await Promise.all(Array.from({ length: 5 }, () => call('acme', 'create', params, TENANTS.acme)));
    const internal = new Set(results.map((r) => r.xml?.internalMeetingID));
    t.equal(internal.size, 1, `${meetingID}: one internal meeting ID`);
    t.ok(results.every((r) => r.xml?.returncode === 'SUCCESS'));
    const node = nodeMeetingIdOf('acme', meetingID);
    t.equal(server.simulators.filter((s) => s.calls.some((c) => c.call === 'create' && c.rawQuery.includes(node))).length, 1, `${meetingID}: every create went to one node`);
    const types = (await server.events()).filter((e) => e.streamId === `meeting-${node}`).map((e) => e.type);
    t.same(types, ['MeetingPlaced', 'MeetingCreated']);
  }
});

t.test('POST create with a documents body / arrives byte for byte at the node and is kept in the blob store', async (t) => {
  const body = '<?xml version="1.0" encoding="UTF-8"?>\r\n<modules>\n  <module name="presentation">\n    <document url="https://example.com/a.pdf?x=1&amp;y=2" filename="Zoë.pdf"/>\n    <document name="b.pdf">JVBERi0xLjQK</document>\n  </module>\n</modules>\n';
  const response = await fetch(url('acme', 'create', [['name', 'Docs'], ['meetingID', 'docs']], TENANTS.acme), {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml; charset=UTF-8' },
    body,
  });
  const text = await response.text();
  t.match(text, /<returncode>SUCCESS<\/returncode>/);
  const node = nodeMeetingIdOf('acme', 'docs');
  t.equal(meetingOn(node)?.meetings.get(node)?.createBody, body);
  const placed = (await server.events()).find((e) => e.streamId === `meeting-${node}` && e.type === 'MeetingPlaced');
  const ref = (placed?.data as { body: { ref: string; size: number; contentType: string } }).body;
  t.match(ref, { contentType: 'application/xml', size: Buffer.byteLength(body) });
  t.equal((await server.blobs.get(ref.ref))?.toString('utf8'), body);
});

t.test('POST create with form parameters / reaches the node with every parameter', async (t) => {
  const response = await fetch(url('acme', 'create', [], TENANTS.acme), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'name=Form+Room&meetingID=form-room&welcome=Hello+%26+welcome',
  });
  t.match(await response.text(), /<meetingID>form-room<\/meetingID>/);
  const node = nodeMeetingIdOf('acme', 'form-room');
  t.match(meetingOn(node)?.meetings.get(node)?.createParams, { name: 'Form Room', welcome: 'Hello & welcome', meetingID: node });
});

t.test('no answer / ever leaks a scoped node meeting ID', async (t) => {
  const scoped = /\b(acme|acme-007|globex)-[0-9a-f]{40}\b/;
  for (const answer of answers) {
    if (answer.includes('/join?')) continue;
    t.notMatch(answer, scoped);
  }
});
