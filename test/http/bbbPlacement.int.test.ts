import t from 'tap';
import { get, startMeetingTestServer, TENANTS, type MeetingTestServer } from './support/meetingTestServer.js';

const create = (server: MeetingTestServer, meetingID: string, extra: Array<[string, string]> = [], tenant: keyof typeof TENANTS = 'acme') =>
  get(server.url(tenant, 'create', [['name', 'Room'], ['meetingID', meetingID], ...extra], TENANTS[tenant]));
const meetingsPerNode = (server: MeetingTestServer) => server.simulators.map((s) => s.meetings.size);

// The test server's node list never changes its counts: only this process's reservations spread the load.

t.test('concurrent creates / spread evenly, each placement counted before the next is ranked', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3 });
  t.teardown(() => server.close());
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => create(server, `burst-${i}`)));
  t.ok(answers.every((a) => a.xml?.returncode === 'SUCCESS'));
  t.same(meetingsPerNode(server), [4, 4, 4]);
});

t.test('a size hint / reserves that many seats, so the next creates go elsewhere', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3 });
  t.teardown(() => server.close());
  t.match((await create(server, 'lecture', [['meta_bbb-meeting-size-hint', '100']])).xml, { returncode: 'SUCCESS' });
  t.same(meetingsPerNode(server), [1, 0, 0]);
  for (let i = 0; i < 6; i++) await create(server, `seminar-${i}`);
  t.same(meetingsPerNode(server), [1, 3, 3], 'a 100-seat meeting outweighs three 20-seat ones');
});

t.test('meta_server-tag=a / prefers nodes tagged a, falls back to the others', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3 });
  t.teardown(() => server.close());
  server.nodes[2]!.tags = ['large'];
  await create(server, 'big-1', [['meta_server-tag', 'large']]);
  await create(server, 'big-2', [['meta_server-tag', 'large']]);
  t.same(meetingsPerNode(server), [0, 0, 2], 'the tagged node, even when loaded');
  server.nodes[2]!.health = 'offline';
  t.match((await create(server, 'big-3', [['meta_server-tag', 'large']])).xml, { returncode: 'SUCCESS' });
  t.same(meetingsPerNode(server), [1, 0, 2], 'no tagged node available: an untagged one');
});

t.test('meta_server-tag=a! / only nodes tagged a; none available is serverTagUnavailable', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3 });
  t.teardown(() => server.close());
  server.nodes[1]!.tags = ['gpu'];
  for (let i = 0; i < 3; i++) t.match((await create(server, `render-${i}`, [['meta_server-tag', 'gpu!']])).xml, { returncode: 'SUCCESS' });
  t.same(meetingsPerNode(server), [0, 3, 0]);
  server.nodes[1]!.adminState = 'cordoned';
  const refused = await create(server, 'render-x', [['meta_server-tag', 'gpu!']]);
  t.same(refused.xml, { returncode: 'FAILED', messageKey: 'serverTagUnavailable', message: 'There is no available server with the required tag=gpu.' });
  const unknown = await create(server, 'render-y', [['meta_server-tag', 'large;quantum!']]);
  t.same(unknown.xml, { returncode: 'FAILED', messageKey: 'serverTagUnavailable', message: 'There is no available server with the required tag=quantum.' });
  t.equal(server.simulators.reduce((n, s) => n + s.calls.filter((c) => c.call === 'create').length, 0), 3, 'no node was asked');
  const abandoned = (await server.events()).filter((e) => e.type === 'MeetingCreateAbandoned');
  t.match(abandoned, [{ data: { meetingID: 'render-x', reason: 'serverTagUnavailable' } }, { data: { meetingID: 'render-y', reason: 'serverTagUnavailable' } }]);
  const again = await create(server, 'render-0', [['meta_server-tag', 'gpu!']]);
  t.equal(again.xml?.returncode, 'SUCCESS', 'a repeated create of a running meeting still goes to its node');
  t.equal(server.simulators[1]!.calls.filter((c) => c.call === 'create').length, 4);
});

t.test('tenant required tags / the tenant\'s meetings go only to its pool; an empty pool is "no servers"', async (t) => {
  const server = await startMeetingTestServer({ nodeCount: 3, tenantRequiredTags: (tenant) => (tenant === 'acme' ? ['eu'] : []) });
  t.teardown(() => server.close());
  server.nodes[0]!.tags = ['eu'];
  server.nodes[2]!.tags = ['eu', 'large'];
  for (let i = 0; i < 4; i++) await create(server, `eu-${i}`);
  t.same(meetingsPerNode(server), [2, 0, 2]);
  await create(server, 'eu-large', [['meta_server-tag', 'large!']]);
  t.same(meetingsPerNode(server), [2, 0, 3], 'a create\'s required tag narrows the pool further');
  await create(server, 'anywhere', [], 'globex');
  t.same(meetingsPerNode(server), [2, 1, 3], 'other tenants use every node');
  server.nodes[0]!.health = 'offline';
  server.nodes[2]!.health = 'offline';
  t.same((await create(server, 'eu-x')).xml, { returncode: 'FAILED', messageKey: 'internalError', message: 'Could not find any available servers.' });
});
