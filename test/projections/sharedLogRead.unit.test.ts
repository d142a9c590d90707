import t from 'tap';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { SubscribeOptions, SubscriptionMessage } from '../../src/eventstore/port.js';
import { SharedLogRead } from '../../src/projections/sharedLogRead.js';
import { newEvent } from '../eventstore/contract/fixtures.js';

async function fill(store: MemoryEventStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await store.append(i % 50 === 0 ? `a-${i}` : `b-${i}`, [newEvent(i % 50 === 0 ? 'A' : 'B')]);
}

/** Messages up to and including caughtUp. */
async function untilCaughtUp(messages: AsyncIterable<SubscriptionMessage>): Promise<SubscriptionMessage[]> {
  const out: SubscriptionMessage[] = [];
  for await (const m of messages) {
    out.push(m);
    if (m.kind === 'caughtUp') break;
  }
  return out;
}

const eventsOf = (messages: SubscriptionMessage[]) => messages.flatMap((m) => (m.kind === 'event' ? [m.event.position] : []));

t.test('with two filtered consumers / each sees what its own subscription to the store would', async (t) => {
  const store = new MemoryEventStore();
  await fill(store, 200);
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const shared = new SharedLogRead(store, 2, controller.signal);
  const onlyA: SubscribeOptions = { from: 'start', filter: { streamPrefixes: ['a-'] }, signal: controller.signal };
  const everything: SubscribeOptions = { from: 'start', signal: controller.signal };
  const [a, all] = await Promise.all([untilCaughtUp(shared.subscribe(onlyA)), untilCaughtUp(shared.subscribe(everything))]);
  const [directA, directAll] = await Promise.all([untilCaughtUp(store.subscribe(onlyA)), untilCaughtUp(store.subscribe(everything))]);
  t.same(eventsOf(a), eventsOf(directA), 'the filtered consumer gets the filtered events');
  t.same(eventsOf(all), eventsOf(directAll), 'the unfiltered one gets every event');
  t.equal(eventsOf(a).length, 4);
  t.ok(a.some((m) => m.kind === 'checkpoint'), 'filtered-out stretches are reported as checkpoints');
  t.same(a.at(-1), directA.at(-1), 'caughtUp at the same position');
});

t.test('after catching up / live events reach every consumer; skipped ones as checkpoints at once', async (t) => {
  const store = new MemoryEventStore();
  await fill(store, 3);
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const shared = new SharedLogRead(store, 1, controller.signal);
  const iterator = shared.subscribe({ from: 'start', filter: { streamPrefixes: ['a-'] }, signal: controller.signal })[Symbol.asyncIterator]();
  const seen: SubscriptionMessage[] = [];
  while (seen.at(-1)?.kind !== 'caughtUp') seen.push((await iterator.next()).value as SubscriptionMessage);
  const skipped = await store.append('b-live', [newEvent('B')]);
  t.same(((await iterator.next()).value as SubscriptionMessage), { kind: 'checkpoint', position: skipped.position });
  const kept = await store.append('a-live', [newEvent('A')]);
  const next = (await iterator.next()).value as SubscriptionMessage;
  t.equal(next.kind === 'event' && next.event.position, kept.position);
  controller.abort();
  t.equal((await iterator.next()).done, true, 'ends on abort');
});

t.test('with a consumer that does not read / the shared read waits for it (bounded memory)', async (t) => {
  const store = new MemoryEventStore();
  await fill(store, 100);
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const shared = new SharedLogRead(store, 2, controller.signal, () => {}, 10);
  const options: SubscribeOptions = { from: 'start', signal: controller.signal };
  const fast = untilCaughtUp(shared.subscribe(options));
  const slow = shared.subscribe(options);
  let fastDone = false;
  void fast.then(() => (fastDone = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(fastDone, false, 'the fast consumer is held back while the slow one has not read');
  const slowMessages = await untilCaughtUp(slow);
  t.equal(eventsOf(slowMessages).length, 100);
  t.equal(eventsOf(await fast).length, 100);
});

t.test('a consumer starting after a position / skips what it already has', async (t) => {
  const store = new MemoryEventStore();
  await fill(store, 10);
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const positions = eventsOf(await untilCaughtUp(store.subscribe({ from: 'start', signal: controller.signal })));
  const shared = new SharedLogRead(store, 1, controller.signal);
  const from = positions[6]!;
  t.same(eventsOf(await untilCaughtUp(shared.subscribe({ from, signal: controller.signal }))), positions.slice(7));
});
