/**
 * Outgoing deliveries: BENCH_DELIVERIES (default 1000) deliveries requested at once (what one meeting event
 * fanned out to 1,000 hooks gives the delivery process), made through the real deliver() to a loopback
 * receiver; first one answering at once (the baseline), then one holding every answer BENCH_SLOW_MS (default
 * 200). Prints deliveries/s of each, their ratio, the bound concurrency × 1000 / slow ms, and the peak heap
 * and RSS while the slow receiver backs the queue up. Then BENCH_DELIVERIES real hooks of one tenant and one
 * meeting-created through the hook fan-out to the slow receiver. `npm run bench:deliveries`.
 */
import { sagaCommands } from '../src/processPorts.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleDeliveryCommand } from '../src/commands/decider/deliveryCommands.js';
import { toNewEvent } from '../src/commands/decider/handleCommand.js';
import { handleTenantCommand } from '../src/commands/decider/tenantCommands.js';
import type { DomainEvent } from '../src/domain/eventCatalogue.js';
import { runHookFanOut } from '../src/sagas/hooks/runHookFanOut.js';
import { MemoryEventStore } from '../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../src/logging.js';
import { DELIVERY_DEFAULTS, runDeliveries } from '../src/sagas/deliveries/runDeliveries.js';
import { DEFAULT_RETRY_POLICY } from '../src/retryPolicy.js';
import { eventually } from '../test/support/eventually.js';
import { commandContext } from '../test/support/commandContext.js';

const COUNT = Number(process.env.BENCH_DELIVERIES ?? 1000);
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 200);

async function receiver(delayMs: number) {
  let answered = 0;
  const server = createServer((_req, res) => {
    setTimeout(() => {
      answered++;
      res.end('ok');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, answered: () => answered, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Heap and RSS after a full GC (with --expose-gc), then their peaks every 50 ms until stop(). */
function sampleMemory() {
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 50);
  return {
    stop() {
      clearInterval(sampler);
      return { baseline, peakHeap, peakRss };
    },
  };
}

async function run(label: string, delayMs: number) {
  const store = new MemoryEventStore();
  const target = await receiver(delayMs);
  const context = () => commandContext({ actor: 'bench', correlationId: 'bench' });
  for (let i = 0; i < COUNT; i++) {
    const deliveryId = `bench-${label}-${i}`;
    const data = { deliveryId, tenant: 'acme', scope: 'acme', meetingID: `room-${i}`, incarnation: 1, kind: 'endCallbackUrl' as const, originalUrl: `${target.url}/hook/${i}`, url: `${target.url}/hook/${i}?recordingmarks=false`, method: 'GET' as const };
    await handleDeliveryCommand(store, { type: 'RequestCallbackDelivery', data }, context());
  }
  const memory = sampleMemory();
  const started = performance.now();
  const saga = runDeliveries({ store: store, commands: sagaCommands(store), logger: silentLogger, stillHolds: () => true, allowPrivate: true, policy: DEFAULT_RETRY_POLICY, ...DELIVERY_DEFAULTS, tickMs: 50, limits: { queuedPerTenant: COUNT }, now: () => new Date(), random: Math.random });
  await eventually(`${COUNT} deliveries answered`, () => target.answered() >= COUNT, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const { baseline, peakHeap, peakRss } = memory.stop();
  await saga.stop();
  await target.close();
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`${label}: ${COUNT} deliveries in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)}/s; heap ${mib(baseline.heapUsed)} → peak ${mib(peakHeap)} MiB, RSS peak ${mib(peakRss)} MiB`);
  return COUNT / seconds;
}

/** COUNT real hooks of one tenant (hooks/create's command), one meeting created: the fan-out and the deliveries. */
async function runHooks(delayMs: number) {
  const store = new MemoryEventStore();
  const target = await receiver(delayMs);
  const context = () => commandContext({ actor: 'bench', correlationId: 'bench' });
  await handleTenantCommand(store, { type: 'RegisterTenant', data: { tenant: 'acme', secrets: ['acme-bench-secret-0001'] } }, context());
  for (let i = 0; i < COUNT; i++) {
    const data = { tenant: 'acme', scope: 'acme', callbackURL: `${target.url}/hook/${i}`, meetingID: null, eventIDs: null, maxHooks: COUNT };
    await handleTenantCommand(store, { type: 'CreateHook', data }, context());
  }
  const memory = sampleMemory();
  const fanOut = runHookFanOut({ store: store, commands: sagaCommands(store), logger: silentLogger, stillHolds: () => true, domain: 'bench.example', now: () => new Date() });
  const saga = runDeliveries({ store: store, commands: sagaCommands(store), logger: silentLogger, stillHolds: () => true, allowPrivate: true, policy: DEFAULT_RETRY_POLICY, ...DELIVERY_DEFAULTS, tickMs: 50, limits: { queuedPerTenant: COUNT }, now: () => new Date(), random: Math.random });
  const started = performance.now();
  const answer = { internalMeetingID: 'int-1', createTime: Date.now(), attendeePW: 'a', moderatorPW: 'm', voiceBridge: '70001', dialNumber: '613', nodeMeetingID: 'acme/room', name: 'Bench room', metadata: {}, params: {} };
  const created: DomainEvent = { type: 'MeetingCreated', data: { tenant: 'acme', scope: 'acme', meetingID: 'room', nodeId: 'n1', ...answer } };
  await store.append('meeting-bench-room', [toNewEvent(created, 0, context())]);
  await eventually(`${COUNT} hook messages answered`, () => target.answered() >= COUNT, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const { baseline, peakHeap, peakRss } = memory.stop();
  await Promise.all([fanOut.stop(), saga.stop()]);
  await target.close();
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`${COUNT} hooks, one meeting-created, receiver holding ${delayMs} ms: ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)}/s; heap ${mib(baseline.heapUsed)} → peak ${mib(peakHeap)} MiB, RSS peak ${mib(peakRss)} MiB`);
  return COUNT / seconds;
}

const fast = await run('fast receiver', 0);
const slow = await run(`slow receiver (${SLOW_MS} ms)`, SLOW_MS);
const bound = (DELIVERY_DEFAULTS.concurrency * 1000) / SLOW_MS;
console.log(`slow/fast throughput ratio ${(slow / fast).toFixed(3)}; concurrency bound ${bound.toFixed(0)}/s, reached ${((slow / bound) * 100).toFixed(0)} %`);
const hooks = await runHooks(SLOW_MS);
console.log(`hooks (fan-out + signed POSTs) / plain slow deliveries ratio ${(hooks / slow).toFixed(3)}`);
