import { createRequire } from 'node:module';
import t, { type Test } from 'tap';
import { loadConfig } from '../src/config.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { eventually } from './support/eventually.js';
import { ADMIN_SECRET, call } from './support/httpHarness.js';
import { servedProduct } from './support/servedProduct.js';

// bigbluebutton-js is CommonJS without types: the real client a Node frontend would use.
const bbb = createRequire(import.meta.url)('bigbluebutton-js') as {
  api(host: string, secret: string): {
    administration: { create(name: string, id: string, params?: object): string; join(name: string, id: string, password: string, params?: object): string; end(id: string, password: string): string };
    monitoring: { getMeetingInfo(id: string): string; getMeetings(): string; isMeetingRunning(id: string): string };
  };
  http(url: string): Promise<Record<string, unknown>>;
};

const TENANT_SECRET = 'acme-secret-for-the-product-test';

async function startProduct(t: Test) {
  const nodes = await Promise.all([1, 2, 3].map((i) => new BbbNodeSimulator({ secret: `node-${i}-secret` }).start()));
  t.teardown(() => Promise.all(nodes.map((n) => n.stop())));
  const config = loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100', POLL_TIMEOUT_MS: '1000' });
  const { base, token } = await servedProduct(t, config);
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } })).status, 201);
  for (const [i, node] of nodes.entries()) {
    const body = { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1, checksumAlgorithm: i === 0 ? 'sha1' : 'sha512' };
    t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body })).status, 201);
  }
  await eventually('every node available', async () => {
    const list = (await call(base, '/admin/api/v1/nodes', { token })).body as { nodes: Array<{ health: string }> };
    return list.nodes.every((n) => n.health === 'available');
  }, 10_000);
  return { nodes, base, api: bbb.api(`${base}/t/acme/bigbluebutton`, TENANT_SECRET) };
}


t.test('a BBB client library drives the whole meeting lifecycle through the balancer', async (t) => {
  const { nodes, api } = await startProduct(t);
  const created = await bbb.http(api.administration.create('Physics 101', 'physics-101', { attendeePW: 'ap', moderatorPW: 'mp', 'meta_bbb-origin': 'Moodle' }));
  t.equal(created.returncode, 'SUCCESS');
  t.equal(created.meetingID, 'physics-101', 'the client sees its own meetingID');
  const node = nodes.find((n) => n.meetings.size === 1)!;
  t.ok(node, 'the meeting runs on exactly one node');

  const joinUrl = api.administration.join(`Zoë O'Brien & "Friends" +1`, 'physics-101', 'mp');
  const redirect = await fetch(joinUrl, { redirect: 'manual' });
  t.equal(redirect.status, 302, await redirect.clone().text());
  const location = redirect.headers.get('location')!;
  t.ok(location.startsWith(node.apiUrl + 'join?'), 'redirects to the node itself');
  t.equal((await fetch(location)).status, 200, 'the node accepts the re-signed join');
  t.equal([...node.meetings.values()][0]?.attendees[0]?.fullName, `Zoë O'Brien & "Friends" +1`);

  const info = await bbb.http(api.monitoring.getMeetingInfo('physics-101'));
  t.equal(info.meetingID, 'physics-101');
  t.equal(info.running, true);
  t.equal((await bbb.http(api.monitoring.isMeetingRunning('physics-101'))).running, true);
  const listed = await bbb.http(api.monitoring.getMeetings());
  t.same((listed.meetings as Array<{ meetingID: string }>).map((m) => m.meetingID), ['physics-101']);

  t.equal((await bbb.http(api.administration.end('physics-101', 'mp'))).messageKey, 'sentEndMeetingRequest');
  t.equal((await bbb.http(api.monitoring.getMeetings())).messageKey, 'noMeetings');
});

t.test('creates spread over the nodes by load', async (t) => {
  const { nodes, api } = await startProduct(t);
  for (let i = 0; i < 6; i++) t.equal((await bbb.http(api.administration.create(`Room ${i}`, `room-${i}`))).returncode, 'SUCCESS');
  t.same(nodes.map((n) => n.meetings.size), [2, 2, 2]);
});
