import t from 'tap';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { get, startMeetingTestServer, TENANTS } from './support/meetingTestServer.js';

const server = await startMeetingTestServer();
t.teardown(() => server.close());
const { url } = server;
const meetingOn = (scope: string, meetingID: string) => {
  const key = nodeMeetingIdOf(scope, meetingID);
  return server.simulators.map((s) => s.meetings.get(key)).find((m) => m !== undefined);
};
const create = (tenant: string, secret: string, meetingID: string, extra: Array<[string, string]> = []) =>
  get(url(tenant, 'create', [['name', 'Lecture'], ['meetingID', meetingID], ['moderatorPW', 'mod-pw'], ['attendeePW', 'att-pw'], ...extra], secret));
const join = (tenant: string, secret: string, meetingID: string, extra: Array<[string, string]> = []) =>
  get(url(tenant, 'join', [['fullName', 'Ann'], ['meetingID', meetingID], ['role', 'VIEWER'], ...extra], secret));

t.test('hard meeting limit / the create that would start one more is refused in words a teacher understands; a repeat passes', async (t) => {
  await server.tenantCommand({ type: 'SetTenantLimits', data: { tenant: 'globex', subId: 0, limits: { meetings: 2, attendees: null, mode: 'hard' } } });
  t.match((await create('globex', TENANTS.globex, 'g1')).xml, { returncode: 'SUCCESS' });
  t.match((await create('globex', TENANTS.globex, 'g2')).xml, { returncode: 'SUCCESS' });
  await server.caughtUp();
  const refused = await create('globex', TENANTS.globex, 'g3');
  t.match(refused.xml, { returncode: 'FAILED', messageKey: 'meetingLimitReached', message: /may run 2 meetings at the same time.*try again/ });
  t.equal(meetingOn('globex', 'g3'), undefined, 'no node was asked');
  t.match((await create('globex', TENANTS.globex, 'g1')).xml, { returncode: 'SUCCESS' }, 'a repeated create of a running meeting passes');
  await server.limitsRecorded();
  const hits = (await server.events()).filter((e) => e.type === 'TenantLimitExceeded');
  t.match(hits, [{ streamId: 'limits-globex', data: { tenant: 'globex', subId: 0, scope: 'globex', limit: 'meetings', max: 2, count: 2, mode: 'hard', outcome: 'refused', occurrences: 1 } }]);
  t.equal((await get(url('globex', 'end', [['meetingID', 'g2']], TENANTS.globex))).status, 200);
  await server.caughtUp();
  t.match((await create('globex', TENANTS.globex, 'g3')).xml, { returncode: 'SUCCESS' }, 'room again once one ended');
});

t.test('hard attendee limit / joins past the limit are refused like a full meeting; polls and joins both count', async (t) => {
  await server.tenantCommand({ type: 'SetTenantLimits', data: { tenant: 'acme', subId: 7, limits: { meetings: null, attendees: 2, mode: 'hard' } } });
  t.match((await create('acme-007', TENANTS.acme007, 'a1')).xml, { returncode: 'SUCCESS' });
  await server.caughtUp();
  t.equal((await join('acme-007', TENANTS.acme007, 'a1')).status, 302);
  t.equal((await join('acme-007', TENANTS.acme007, 'a1')).status, 302);
  const full = await join('acme-007', TENANTS.acme007, 'a1');
  t.match(full.xml, { returncode: 'FAILED', messageKey: 'maxParticipantsReached', message: 'The number of participants allowed for this meeting has been reached.' });
  const redirected = await join('acme-007', TENANTS.acme007, 'a1', [['errorRedirectUrl', 'https://lms.example.com/full']]);
  t.equal(redirected.status, 302, 'redirected to the error URL like bbb-web');
  t.match(decodeURIComponent(redirected.location ?? ''), /^https:\/\/lms\.example\.com\/full\?errors=\[\{"key":"maxParticipantsReached"/);
  t.match((await create('acme', TENANTS.acme, 'a-main')).xml, { returncode: 'SUCCESS' });
  await server.caughtUp();
  t.equal((await join('acme', TENANTS.acme, 'a-main')).status, 302, "the sub's limit does not bind the tenant's main host");
});

t.test('soft limit / allowed, with a TenantLimitExceeded carrying the numbers', async (t) => {
  await server.tenantCommand({ type: 'SetTenantLimits', data: { tenant: 'globex', subId: 0, limits: { meetings: 1, attendees: null, mode: 'soft' } } });
  t.match((await create('globex', TENANTS.globex, 'g-soft')).xml, { returncode: 'SUCCESS' });
  await server.limitsRecorded();
  const soft = (await server.events()).filter((e) => e.type === 'TenantLimitExceeded' && (e.data as { outcome: string }).outcome === 'allowed');
  t.match(soft, [{ data: { tenant: 'globex', limit: 'meetings', max: 1, count: 2, mode: 'soft', outcome: 'allowed' } }]);
});

t.test('parameter rules / applied to create before the node call and recorded; join rules reach the node URL', async (t) => {
  await server.tenantCommand({ type: 'SetTenantLimits', data: { tenant: 'globex', subId: 0, limits: { meetings: null, attendees: null, mode: 'hard' } } });
  await server.tenantCommand({
    type: 'SetTenantParameters',
    data: {
      tenant: 'globex',
      subId: 0,
      rules: {
        rules: [
          { call: 'create', param: 'duration', mode: 'max', value: '240' },
          { call: 'create', param: 'record', mode: 'block' },
          { call: 'create', param: 'welcome', mode: 'set', value: 'Hello' },
          { call: 'create', param: 'muteOnStart', mode: 'override', value: 'true' },
          { call: 'create', param: 'disabledFeatures', mode: 'append', value: 'chat,polls' },
          { call: 'join', param: 'userdata-bbb_auto_join_audio', mode: 'override', value: 'false' },
        ],
      },
    },
  });
  const created = await create('globex', TENANTS.globex, 'g-rules', [['duration', '0'], ['record', 'true'], ['muteOnStart', 'false'], ['disabledFeatures', 'polls,learningDashboard']]);
  t.match(created.xml, { returncode: 'SUCCESS' });
  const got = meetingOn('globex', 'g-rules')?.createParams;
  t.match(got, { duration: '240', welcome: 'Hello', muteOnStart: 'true', disabledFeatures: 'polls,learningDashboard,chat' });
  t.notOk(got && 'record' in got, 'record was blocked');
  const placed = (await server.events()).find((e) => e.type === 'MeetingPlaced' && (e.data as { meetingID: string }).meetingID === 'g-rules');
  t.match(placed?.data, { params: { duration: '240', welcome: 'Hello', muteOnStart: 'true' } });
  const createdEvent = (await server.events()).find((e) => e.type === 'MeetingCreated' && (e.data as { meetingID: string }).meetingID === 'g-rules');
  t.match(createdEvent?.data, { params: { duration: '240', welcome: 'Hello', muteOnStart: 'true', disabledFeatures: 'polls,learningDashboard,chat' } }, 'MeetingCreated says what the node got');
  await server.caughtUp();
  const joined = await join('globex', TENANTS.globex, 'g-rules', [['userdata-bbb_auto_join_audio', 'true']]);
  t.equal(joined.status, 302);
  t.equal(new URL(joined.location!).searchParams.get('userdata-bbb_auto_join_audio'), 'false');
});

t.test('capacity / when no eligible node has room, create answers serverFull and records MeetingCreateRefused with the numbers', async (t) => {
  const saved = server.nodes.map((n) => n.maxLoad);
  t.teardown(() => server.nodes.forEach((n, i) => (n.maxLoad = saved[i])));
  for (const node of server.nodes) node.maxLoad = 10;
  const refused = await create('acme', TENANTS.acme, 'too-big');
  t.match(refused.xml, { returncode: 'FAILED', messageKey: 'serverFull', message: /servers are full.*try again/ });
  t.equal(meetingOn('acme', 'too-big'), undefined, 'no node was asked');
  const event = (await server.events()).find((e) => e.type === 'MeetingCreateRefused');
  t.match(event?.data, { tenant: 'acme', meetingID: 'too-big', reason: 'serverFull', detail: /n1: load [\d.]+ \+ [\d.]+ > maxLoad 10/ });
  for (const node of server.nodes) node.maxLoad = 100_000;
  t.match((await create('acme', TENANTS.acme, 'too-big')).xml, { returncode: 'SUCCESS' }, 'with room again, the same meeting starts');
});

t.test('hard meeting limit / a burst of creates cannot pass it: creates in flight count', async (t) => {
  await server.caughtUp();
  const events = await server.events();
  const count = (type: string) => events.filter((e) => e.type === type && (e.data as { tenant: string }).tenant === 'acme').length;
  const running = count('MeetingCreated') - count('MeetingEnded');
  await server.tenantCommand({ type: 'SetTenantLimits', data: { tenant: 'acme', subId: 0, limits: { meetings: running + 2, attendees: null, mode: 'hard' } } });
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => create('acme', TENANTS.acme, `burst-${i}`)));
  t.equal(answers.filter((a) => a.xml?.returncode === 'SUCCESS').length, 2, 'only as many as the limit leaves room for');
  t.equal(answers.filter((a) => a.xml?.messageKey === 'meetingLimitReached').length, 4, 'the others are refused');
});
