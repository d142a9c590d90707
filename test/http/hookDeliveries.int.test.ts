import { createHash } from 'node:crypto';
import { sagaCommands } from '../../src/processPorts.js';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { runDeliveries } from '../../src/sagas/deliveries/runDeliveries.js';
import { runHookFanOut } from '../../src/sagas/hooks/runHookFanOut.js';
import { eventually } from '../support/eventually.js';
import { get, startMeetingTestServer, TENANTS } from './support/meetingTestServer.js';

const server = await startMeetingTestServer();
t.teardown(() => server.close());

/** A hook receiver as a bbb-webhooks client writes one: form POSTs, 200 each. */
const received: Array<{ url: string; body: string; contentType: string | undefined }> = [];
const receiver = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ url: req.url ?? '', body, contentType: req.headers['content-type'] });
    res.end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const policy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };
const start = (allowPrivate: boolean) => {
  const fanOut = runHookFanOut({ store: server.store, commands: sagaCommands(server.store), logger: silentLogger, stillHolds: () => true, domain: 'lb.example', now: () => new Date() });
  const deliveries = runDeliveries({ store: server.store, commands: sagaCommands(server.store), logger: silentLogger, stillHolds: () => true, allowPrivate, policy, tickMs: 20, deadlineMs: 5000, concurrency: 4, limits: { queuedPerTenant: 100 }, now: () => new Date(), random: () => 0.5 });
  return { stop: () => Promise.all([fanOut.stop(), deliveries.stop()]) };
};
const hooksCall = (tenant: string, secret: string, name: string, params: Array<[string, string]>) => get(server.url(tenant, `hooks/${name}`, params, secret));
const eventsOfType = async (type: string) => (await server.events()).filter((e) => e.type === type);

t.test("a hook gets its tenant's meeting-created and meeting-ended as bbb-webhooks sends them, signed; never another tenant's", async (t) => {
  const callbackURL = `${receiverUrl}/acme-hook`;
  t.match((await hooksCall('acme', TENANTS.acme, 'create', [['callbackURL', callbackURL]])).xml, { returncode: 'SUCCESS', hookID: '1' });
  const running = start(true);
  t.teardown(() => running.stop());
  t.match((await get(server.url('acme-007', 'create', [['name', 'Sub room'], ['meetingID', 'sub-room']], TENANTS.acme007))).xml, { returncode: 'SUCCESS' });
  t.match((await get(server.url('globex', 'create', [['name', 'Other'], ['meetingID', 'other-room']], TENANTS.globex))).xml, { returncode: 'SUCCESS' });
  t.equal((await get(server.url('acme-007', 'end', [['meetingID', 'sub-room']], TENANTS.acme007))).status, 200);
  await eventually('both messages delivered', async () => received.filter((r) => r.url.startsWith('/acme-hook')).length >= 2);
  const ids = received.map((r) => JSON.parse(new URLSearchParams(r.body).get('event')!)[0].data.id as string);
  t.same(ids, ['meeting-created', 'meeting-ended'], "the sub's meeting, seen by the main secret's hook; globex's meeting never");
  const first = received[0]!;
  t.equal(first.contentType, 'application/x-www-form-urlencoded');
  const form = new URLSearchParams(first.body);
  t.equal(form.get('domain'), 'lb.example');
  t.match(JSON.parse(form.get('event')!)[0].data.attributes.meeting, { 'external-meeting-id': 'sub-room', name: 'Sub room' });
  const fields = { domain: form.get('domain'), event: form.get('event'), timestamp: Number(form.get('timestamp')) };
  const checksum = createHash('sha1').update(`${callbackURL}${JSON.stringify(fields)}${TENANTS.acme}`).digest('hex');
  t.equal(first.url, `/acme-hook?checksum=${checksum}`, 'bbb-webhooks checksum with the tenant secret');
  t.equal((await eventsOfType('HookDeliveryRequested')).length, 2);

  await running.stop();
  const again = start(true);
  t.teardown(() => again.stop());
  t.match((await get(server.url('acme', 'create', [['name', 'Main'], ['meetingID', 'after-restart']], TENANTS.acme))).xml, { returncode: 'SUCCESS' });
  await eventually('the new meeting delivered', async () => received.length >= 3);
  t.equal((await eventsOfType('HookDeliveryRequested')).length, 3, 'a restart replayed the log and asked nothing twice');
  await hooksCall('acme', TENANTS.acme, 'destroy', [['hookID', '1']]);
  await again.stop();
});

t.test('a hook URL into a private range is refused at delivery, recorded and dead-lettered, never called', async (t) => {
  const before = received.length;
  t.match((await hooksCall('globex', TENANTS.globex, 'create', [['callbackURL', `${receiverUrl}/private`]])).xml, { returncode: 'SUCCESS' });
  const running = start(false);
  t.teardown(() => running.stop());
  const made = await get(server.url('globex', 'create', [['name', 'Globex room'], ['meetingID', 'g-room']], TENANTS.globex));
  t.match(made.xml, { returncode: 'SUCCESS' }, JSON.stringify(made.xml));
  await eventually('dead-lettered', async () => (await eventsOfType('CallbackDeliveryDeadLettered')).length === 1);
  const attempted = await eventsOfType('CallbackDeliveryAttempted');
  t.match(attempted.at(-1)?.data, { attempt: 1, outcome: 'refused', nextAttemptAt: null });
  t.equal(received.length, before, 'the receiver on loopback was never called');
});

t.test('joins through the balancer / the hook gets user-joined per join, then user-left and meeting-ended at the end', async (t) => {
  const callbackURL = `${receiverUrl}/seats-hook`;
  t.match((await hooksCall('acme', TENANTS.acme, 'create', [['callbackURL', callbackURL], ['eventID', 'user-joined,user-left,meeting-ended']])).xml, { returncode: 'SUCCESS' });
  const running = start(true);
  t.teardown(() => running.stop());
  t.match((await get(server.url('acme', 'create', [['name', 'Seats'], ['meetingID', 'seats'], ['moderatorPW', 'mp'], ['attendeePW', 'ap']], TENANTS.acme))).xml, { returncode: 'SUCCESS' });
  await server.caughtUp();
  for (const role of ['MODERATOR', 'VIEWER']) t.equal((await get(server.url('acme', 'join', [['fullName', 'Ann'], ['meetingID', 'seats'], ['role', role]], TENANTS.acme))).status, 302);
  await server.joinsRecorded();
  t.equal((await get(server.url('acme', 'end', [['meetingID', 'seats']], TENANTS.acme))).status, 200);
  const seatMessages = () => received.filter((r) => r.url.startsWith('/seats-hook')).map((r) => JSON.parse(new URLSearchParams(r.body).get('event')!)[0].data);
  await eventually('five messages delivered', async () => seatMessages().length >= 5);
  const seen = seatMessages().map((m: { id: string; attributes: { user?: { role: string } } }) => `${m.id}${m.attributes.user ? `:${m.attributes.user.role}` : ''}`);
  t.same([...seen].sort(), ['meeting-ended', 'user-joined:MODERATOR', 'user-joined:VIEWER', 'user-left:MODERATOR', 'user-left:VIEWER']);
  await running.stop();
});
