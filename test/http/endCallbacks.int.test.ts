import { createServer, type IncomingMessage } from 'node:http';
import { sagaCommands } from '../../src/processPorts.js';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { silentLogger } from '../../src/logging.js';
import { runDeliveries } from '../../src/sagas/deliveries/runDeliveries.js';
import { eventually } from '../support/eventually.js';
import { get, startMeetingTestServer, TENANTS } from './support/meetingTestServer.js';

const KEY = 'end-callback-test-key-0123456789abcdef';
const server = await startMeetingTestServer({ endCallbackKey: KEY });
t.teardown(() => server.close());

/** A frontend's end callback receiver: the first answer is 500 (bbb-ledger must retry), then 200. */
const received: string[] = [];
const receiver = createServer((req: IncomingMessage, res) => {
  received.push(req.url ?? '');
  res.statusCode = received.length === 1 ? 500 : 200;
  res.end();
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const policy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };
const deliveries = (allowPrivate: boolean, queuedPerTenant = 100) =>
  runDeliveries({ store: server.store, commands: sagaCommands(server.store), logger: silentLogger, stillHolds: () => true, allowPrivate, policy, tickMs: 20, deadlineMs: 5000, concurrency: 4, limits: { queuedPerTenant }, now: () => new Date(), random: () => 0.5 });

const eventsOf = async (streamId: string) => (await server.events()).filter((e) => e.streamId === streamId);

async function createWithCallbacks(meetingID: string) {
  const original = `${receiverUrl}/lms/ended?room=${encodeURIComponent(meetingID)}`;
  const created = await get(server.url('acme', 'create', [['name', 'Lecture'], ['meetingID', meetingID], ['meta_endCallbackUrl', original], ['meetingEndedURL', `${receiverUrl}/scalelite`]], TENANTS.acme));
  t.equal(created.xml?.returncode, 'SUCCESS', 'created');
  const node = nodeMeetingIdOf('acme', meetingID);
  const onNode = server.simulators.map((s) => s.meetings.get(node)).find((m) => m !== undefined);
  return { original, node, nodeParams: onNode!.createParams };
}

t.test('the node gets signed bbb-ledger URLs; its call ends the meeting at once and the client URL is called as bbb-web would', async (t) => {
  const { original, node, nodeParams } = await createWithCallbacks('Room with callback');
  const endUrl = nodeParams['meta_endCallbackUrl']!;
  t.match(endUrl, new RegExp(`^${server.base}/callbacks/meeting-ended/endCallbackUrl/${node}/1/`), 'absolute, from the request origin');
  t.match(nodeParams['meetingEndedURL'], /\/callbacks\/meeting-ended\/meetingEndedURL\//);
  t.notMatch(JSON.stringify(nodeParams), /lms\/ended/, 'the node never sees the client URL');
  const placed = (await eventsOf(`meeting-${node}`)).find((e) => e.type === 'MeetingPlaced');
  t.match(placed?.data, { params: { meta_endCallbackUrl: original } }, 'the original URL is kept in the events');

  const running = deliveries(true);
  t.teardown(() => running.stop());
  const answer = await fetch(`${endUrl}?recordingmarks=false&meetingID=${node}`);
  t.equal(answer.status, 200);
  const ended = (await eventsOf(`meeting-${node}`)).find((e) => e.type === 'MeetingEnded');
  t.match(ended?.data, { reason: 'node', meetingID: 'Room with callback' }, 'ended in our events before any poll');
  const info = await get(server.url('acme', 'isMeetingRunning', [['meetingID', 'Room with callback']], TENANTS.acme));
  t.equal(info.xml?.running, 'false');

  const stream = `delivery-end-${node}-1-endCallbackUrl`;
  await eventually('the callback delivered after one retry', async () => (await eventsOf(stream)).some((e) => e.type === 'CallbackDeliveryAttempted' && (e.data as { outcome: string }).outcome === 'delivered'));
  const attempts = (await eventsOf(stream)).filter((e) => e.type === 'CallbackDeliveryAttempted').map((e) => e.data as { attempt: number; outcome: string; status: number | null; nextAttemptAt: string | null });
  t.match(attempts, [{ attempt: 1, outcome: 'failed', status: 500 }, { attempt: 2, outcome: 'delivered', status: 200, nextAttemptAt: null }]);
  t.ok(attempts[0]!.nextAttemptAt, 'the failed attempt names when the next one is due');
  t.ok(received.includes(`/lms/ended?room=Room%20with%20callback&recordingmarks=false&meetingID=Room%20with%20callback`), `GET with recordingmarks and the tenant's meetingID appended: ${received.join(' ')}`);

  const again = await fetch(`${endUrl}?recordingmarks=false&meetingID=${node}`);
  t.equal(again.status, 403, 'a replayed callback URL is refused');
  t.equal((await eventsOf(`meeting-${node}`)).filter((e) => e.type === 'MeetingEnded').length, 1);
});

t.test('a forged callback URL is refused and ends nothing', async (t) => {
  const { node, nodeParams } = await createWithCallbacks('Room forged');
  const endUrl = nodeParams['meta_endCallbackUrl']!;
  const mac = endUrl.slice(endUrl.lastIndexOf('/') + 1);
  const forgedMac = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
  const forgeries = [
    endUrl.replace(mac, forgedMac),
    endUrl.replace(`/${node}/1/`, `/${node}/2/`),
    endUrl.replace(`/${node}/`, `/${nodeMeetingIdOf('acme', 'another room')}/`),
    endUrl.replace('/endCallbackUrl/', '/meetingEndedURL/'),
    `${server.base}/callbacks/meeting-ended/endCallbackUrl/${node}`,
    `${server.base}/callbacks/meeting-ended/%E0%A4%A/x/1/y`,
  ];
  for (const forged of forgeries) {
    const answer = await fetch(forged);
    t.equal(answer.status, 403, forged);
  }
  t.notOk((await eventsOf(`meeting-${node}`)).some((e) => e.type === 'MeetingEnded'), 'still running');
  t.notOk((await server.events()).some((e) => e.streamId.startsWith(`delivery-end-${node}`)), 'nothing to deliver');
});

t.test('a callback URL into a private range is refused at delivery and dead-lettered, never called', async (t) => {
  const before = received.length;
  const { node, nodeParams } = await createWithCallbacks('Room private');
  const running = deliveries(false);
  t.teardown(() => running.stop());
  t.equal((await fetch(`${nodeParams['meta_endCallbackUrl']}?recordingmarks=true&meetingID=${node}`)).status, 200);
  const stream = `delivery-end-${node}-1-endCallbackUrl`;
  await eventually('the delivery dead-lettered', async () => (await eventsOf(stream)).some((e) => e.type === 'CallbackDeliveryDeadLettered'));
  t.match((await eventsOf(stream)).map((e) => [e.type, e.data]), [
    ['CallbackDeliveryRequested', { url: new RegExp('recordingmarks=true&meetingID=Room%20private$') }],
    ['CallbackDeliveryAttempted', { attempt: 1, outcome: 'refused', nextAttemptAt: null }],
    ['CallbackDeliveryDeadLettered', { attempts: 1 }],
  ]);
  t.equal(received.length, before, 'the receiver on loopback was never called');
});

t.test("a tenant over its queue cap: the newest delivery is dead-lettered, not attempted", async (t) => {
  const { node, nodeParams } = await createWithCallbacks('Room over the cap');
  t.equal((await fetch(`${nodeParams['meta_endCallbackUrl']}?recordingmarks=false&meetingID=${node}`)).status, 200);
  t.equal((await fetch(`${nodeParams['meetingEndedURL']}?recordingmarks=false&meetingID=${node}`)).status, 200);
  const running = deliveries(true, 1);
  t.teardown(() => running.stop());
  const shedStream = `delivery-end-${node}-1-meetingEndedURL`;
  await eventually('the second delivery shed', async () => (await eventsOf(shedStream)).some((e) => e.type === 'CallbackDeliveryDeadLettered'));
  t.match((await eventsOf(shedStream)).map((e) => [e.type, e.data]), [
    ['CallbackDeliveryRequested', {}],
    ['CallbackDeliveryDeadLettered', { attempts: 0, detail: /tenant acme has more than 1 deliveries queued/ }],
  ]);
  await eventually('the first one delivered', async () => (await eventsOf(`delivery-end-${node}-1-endCallbackUrl`)).some((e) => e.type === 'CallbackDeliveryAttempted'));
});
