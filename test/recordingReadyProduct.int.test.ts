import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import t, { type Test } from 'tap';
import { eventually } from './support/eventually.js';
import { makeTar, scaleliteEntries } from './support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from './support/recordingsProduct.js';

/** A local receiver answering `statuses` in turn (then 200), keeping what it got. */
async function receiver(t: Test, statuses: number[]) {
  const got: Array<{ method: string; contentType: string; body: string }> = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    got.push({ method: req.method ?? '', contentType: req.headers['content-type'] ?? '', body });
    res.statusCode = statuses.shift() ?? 200;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready?course=7` };
}

async function deliveryEvents(store: { readAll(): AsyncIterable<{ type: string; data: unknown }> }, deliveryId: string) {
  const events: Array<{ type: string; data: Record<string, unknown> }> = [];
  for await (const e of store.readAll()) {
    const data = e.data as Record<string, unknown>;
    if (e.type.startsWith('CallbackDelivery') && data.deliveryId === deliveryId) events.push({ type: e.type, data });
  }
  return events;
}

t.test('a sub-secret meeting naming a recording-ready URL / the node never sees it; after the import the receiver gets a JWT signed with the sub’s secret, retried after a 500', async (t) => {
  const lms = await receiver(t, [500]);
  const p = await startRecordingsProduct(t, { CALLBACKS_ALLOW_PRIVATE: 'true' });
  const recordId = await p.meeting('acme-007', SECRETS.acme7, 'physics', [['meta_bbb-recording-ready-url', lms.url], ['meta_canvas-recording-ready-url', 'http://127.0.0.1:9/never']]);
  const onNode = [...p.node.meetings.values()][0]!;
  t.same(Object.keys(onNode.createParams).filter((k) => k.toLowerCase().includes('recording-ready')), [], 'no recording-ready meta reaches the node');

  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId, ['presentation', 'video'])))).state, 'imported');
  await eventually('the receiver answered 200 on the second attempt', () => lms.got.length === 2, 30_000);
  for (const got of lms.got) {
    t.equal(got.method, 'POST');
    t.equal(got.contentType, 'application/x-www-form-urlencoded');
    const jwt = new URLSearchParams(got.body).get('signed_parameters')!;
    const { payload, protectedHeader } = await jwtVerify(jwt, new TextEncoder().encode(SECRETS.acme7));
    t.same(payload, { meeting_id: 'physics', record_id: recordId }, 'the tenant’s meetingID, never the node’s');
    t.same(protectedHeader, { alg: 'HS256', typ: 'JWT' });
  }
  const deliveryId = `ready-${recordId}`;
  await eventually('both attempts recorded', async () => (await deliveryEvents(p.store, deliveryId)).length === 3);
  t.match(await deliveryEvents(p.store, deliveryId), [
    { type: 'CallbackDeliveryRequested', data: { kind: 'recordingReady', recordId, meetingID: 'physics', scope: 'acme-007', url: lms.url, method: 'POST' } },
    { type: 'CallbackDeliveryAttempted', data: { attempt: 1, outcome: 'failed', status: 500 } },
    { type: 'CallbackDeliveryAttempted', data: { attempt: 2, outcome: 'delivered', status: 200, nextAttemptAt: null } },
  ]);

  t.equal((await p.imported(await makeTar([...scaleliteEntries(recordId), { name: `presentation/${recordId}/notes.txt`, content: 'new' }]))).state, 'imported');
  const second = await receiver(t, []);
  const other = await p.meeting('acme', SECRETS.acme, 'later', [['meta_bbb-recording-ready-url', second.url]]);
  t.equal((await p.imported(await makeTar(scaleliteEntries(other)))).state, 'imported');
  await eventually('the later recording’s callback', () => second.got.length === 1);
  t.equal(lms.got.length, 2, 'the re-imported recording was not announced again');
  t.same((await jwtVerify(new URLSearchParams(second.got[0]!.body).get('signed_parameters')!, new TextEncoder().encode(SECRETS.acme))).payload, { meeting_id: 'later', record_id: other });
});

t.test('a recording-ready URL on loopback without CALLBACKS_ALLOW_PRIVATE / refused, recorded and dead-lettered, never called', async (t) => {
  const lms = await receiver(t, []);
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'room', [['meta_bn-recording-ready-url', lms.url]]);
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  const deliveryId = `ready-${recordId}`;
  await eventually('the refusal recorded', async () => (await deliveryEvents(p.store, deliveryId)).some((e) => e.type === 'CallbackDeliveryDeadLettered'));
  t.match(await deliveryEvents(p.store, deliveryId), [
    { type: 'CallbackDeliveryRequested', data: { kind: 'recordingReady' } },
    { type: 'CallbackDeliveryAttempted', data: { attempt: 1, outcome: 'refused', nextAttemptAt: null } },
    { type: 'CallbackDeliveryDeadLettered', data: { attempts: 1 } },
  ]);
  t.equal(lms.got.length, 0);
});
