import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { AUTOSCALE_STREAM, type AutoscaleRecommendation } from '../../src/domain/autoscale/events.js';
import type { AutoscaleNode } from '../../src/domain/autoscale/recommend.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../src/logging.js';
import { runAutoscaleSaga } from '../../src/sagas/autoscaleSaga.js';
import { signBody, SIGNATURE_HEADER } from '../../src/sagas/autoscaleWebhook.js';
import { eventually } from '../support/eventually.js';

const SECRET = 'webhook-secret-0123456789';
const POLICY = { highWatermark: 0.8, lowWatermark: 0.3, minimumNodes: 1, cooldownMs: 0, participantsPerNode: 100 };
const node = (id: string, participants: number): AutoscaleNode => ({ id, adminState: 'enabled', health: 'available', meetings: 1, participants, cpu: null, memory: null, loadFactor: 1 });

async function webhookReceiver(t: Test) {
  const received: Array<{ body: string; signature: string | undefined }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scale`, received };
}

t.test('when the fleet gets busy / one event with the numbers, one signed webhook; when it stays busy / nothing more', async (t) => {
  const store = new MemoryEventStore();
  const hook = await webhookReceiver(t);
  let nodes = [node('a', 50)];
  const seen: AutoscaleRecommendation[] = [];
  const saga = runAutoscaleSaga({
    store, logger: silentLogger, policy: POLICY, intervalMs: 20, nodes: () => nodes, now: () => new Date(), stillHolds: () => true,
    webhook: { url: hook.url, secret: SECRET }, onRecommendation: (r) => seen.push(r),
  });
  t.teardown(() => saga.stop());
  const events = async () => {
    const all = [];
    for await (const e of store.readAll()) if (e.streamId === AUTOSCALE_STREAM) all.push(e);
    return all;
  };
  await eventually('the first recommendation is recorded', async () => (await events()).length === 1);
  nodes = [node('a', 95)];
  await eventually('the change is recorded', async () => (await events()).length === 2);
  await eventually('both are delivered', () => hook.received.length === 2);
  const seenBefore = seen.length;
  await eventually('a few more looks', () => seen.length > seenBefore + 3);
  const recorded = await events();
  t.equal(recorded.length, 2, 'an unchanged recommendation is not recorded again');
  t.match(recorded[1], { type: 'AutoscaleRecommendationChanged', data: { recommendation: 1, previous: 0, desiredNodes: 2, utilisation: 0.95, reason: 'aboveHighWatermark' }, metadata: { actor: 'saga:autoscale' } });
  const delivered = hook.received[1]!;
  t.equal(delivered.signature, signBody(delivered.body, SECRET), 'signed with HMAC-SHA256 of the body');
  t.match(JSON.parse(delivered.body), { type: 'AutoscaleRecommendationChanged', recommendation: 1, desiredNodes: 2 });
  t.equal(seen.at(-1)?.recommendation, 1, 'the gauges follow every look');
});

t.test('when the lease is not held / nothing is recorded', async (t) => {
  const store = new MemoryEventStore();
  let asked = 0;
  const saga = runAutoscaleSaga({
    store, logger: silentLogger, policy: POLICY, intervalMs: 10, nodes: () => [], now: () => new Date(),
    stillHolds: () => {
      asked += 1;
      return false;
    },
    webhook: undefined, onRecommendation: () => undefined,
  });
  await eventually('the saga looked at its fence', () => asked > 0);
  await saga.stop();
  const all = [];
  for await (const e of store.readAll()) all.push(e);
  t.same(all, []);
});
