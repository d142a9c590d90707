import type { Test } from 'tap';
import type { EventStore, SubscribeOptions } from '../../../src/eventstore/port.js';
import { eventsOf, SubscriptionReader } from '../subscriptionReader.js';
import { events, headPosition, newEvent, streamName, type MakeStore } from './fixtures.js';

export function subscriptionContract(t: Test, makeStore: MakeStore): void {
  const withStore = (name: string, body: (t: Test, store: EventStore) => Promise<void>) =>
    t.test(name, async (t) => {
      const store = await makeStore();
      t.teardown(() => store.close());
      await body(t, store);
    });
  const reader = (t: Test, store: EventStore, options: Omit<SubscribeOptions, 'signal'>) => {
    const r = new SubscriptionReader((signal) => store.subscribe({ ...options, signal }));
    t.teardown(() => r.close());
    return r;
  };

  withStore('from start: history, then caughtUp, then live events', async (t, store) => {
    const prefix = streamName('sub');
    await store.append(`${prefix}-a`, events('Before', 3));
    const r = reader(t, store, { from: 'start', filter: { streamPrefixes: [prefix] } });
    const history = await r.until('caughtUp');
    t.same(eventsOf(history).map((e) => e.type), ['Before', 'Before', 'Before']);
    t.equal(history[history.length - 1]?.kind, 'caughtUp');
    await store.append(`${prefix}-b`, [newEvent('Live')]);
    const live = eventsOf(await r.events(1));
    t.same(live.map((e) => [e.type, e.streamId]), [['Live', `${prefix}-b`]]);
  });

  withStore('from end: only what is appended afterwards', async (t, store) => {
    const prefix = streamName('sub');
    await store.append(`${prefix}-a`, events('Old', 2));
    const r = reader(t, store, { from: 'end', filter: { streamPrefixes: [prefix] } });
    const head = await r.until('caughtUp');
    t.same(eventsOf(head), [], 'nothing historical');
    await store.append(`${prefix}-a`, [newEvent('New')]);
    t.same(eventsOf(await r.events(1)).map((e) => e.type), ['New']);
  });

  withStore('from a stored position: resumes exactly after it, no loss, no duplicates', async (t, store) => {
    const prefix = streamName('sub');
    const start = await headPosition(store);
    await store.append(`${prefix}-a`, events('E', 6));
    const first = reader(t, store, { from: start, filter: { streamPrefixes: [prefix] } });
    const firstThree = eventsOf(await first.events(3));
    first.close();
    const checkpoint = firstThree[2]!.position;
    await store.append(`${prefix}-a`, events('E', 2));
    const second = reader(t, store, { from: checkpoint, filter: { streamPrefixes: [prefix] } });
    const rest = eventsOf(await second.events(5));
    t.same(rest.map((e) => e.revision), [3n, 4n, 5n, 6n, 7n]);
  });

  withStore('a stream-prefix filter delivers only matching streams', async (t, store) => {
    const prefix = streamName('sub');
    await store.append(`${prefix}-meeting-1`, [newEvent('Wanted')]);
    await store.append(`${prefix}-node-1`, [newEvent('Unwanted')]);
    await store.append(`${prefix}-meeting-2`, [newEvent('Wanted')]);
    const r = reader(t, store, { from: 'start', filter: { streamPrefixes: [`${prefix}-meeting-`] } });
    const got = eventsOf(await r.until('caughtUp'));
    t.same(got.map((e) => e.streamId), [`${prefix}-meeting-1`, `${prefix}-meeting-2`]);
  });

  withStore('an event-type filter delivers only those types', async (t, store) => {
    const prefix = streamName('sub');
    const start = await headPosition(store);
    await store.append(`${prefix}-n`, [newEvent('NodeRegistered'), newEvent('NodeLoadReported'), newEvent('NodeCordoned')]);
    const r = reader(t, store, { from: start, filter: { eventTypes: ['NodeRegistered', 'NodeCordoned'] } });
    const got = eventsOf(await r.until('caughtUp'));
    t.same(got.map((e) => e.type), ['NodeRegistered', 'NodeCordoned']);
  });

  withStore('a sparse filter still moves forward by checkpoints', async (t, store) => {
    const prefix = streamName('sub');
    const start = await headPosition(store);
    await store.append(`${prefix}-noise`, events('Noise', 70));
    const r = reader(t, store, { from: start, filter: { streamPrefixes: [`${prefix}-wanted`] }, checkpointInterval: 1 });
    const seen = await r.until('caughtUp');
    const checkpoints = seen.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));
    t.ok(checkpoints.length >= 1, 'at least one checkpoint while nothing matched');
    await store.append(`${prefix}-wanted`, [newEvent('Match')]);
    const resumed = reader(t, store, { from: checkpoints[checkpoints.length - 1]!, filter: { streamPrefixes: [`${prefix}-wanted`] } });
    t.same(eventsOf(await resumed.events(1)).map((e) => e.type), ['Match'], 'resuming from a checkpoint loses nothing');
  });

  withStore('no checkpoint is at or past an event still to be delivered', async (t, store) => {
    const prefix = streamName('sub');
    await store.append(streamName('before'), [newEvent('Before')]);
    const start = await headPosition(store);
    for (const noise of [32, 40]) {
      await store.append(`${prefix}-noise`, events('Noise', noise));
      await store.append(`${prefix}-wanted`, [newEvent('Wanted')]);
    }
    const seen = await reader(t, store, { from: start, filter: { streamPrefixes: [`${prefix}-wanted`] } }).until('caughtUp');
    t.equal(eventsOf(seen).length, 2);
    seen.forEach((message, i) => {
      if (message.kind !== 'checkpoint') return;
      const later = eventsOf(seen.slice(i + 1));
      t.ok(later.every((e) => e.position > message.position), `checkpoint #${i} is safe to resume from`);
    });
  });

  withStore('two subscribers each see every live event once', async (t, store) => {
    const prefix = streamName('sub');
    const a = reader(t, store, { from: 'end', filter: { streamPrefixes: [prefix] } });
    const b = reader(t, store, { from: 'end', filter: { streamPrefixes: [prefix] } });
    await a.until('caughtUp');
    await b.until('caughtUp');
    for (let i = 0; i < 5; i++) await store.append(`${prefix}-s`, [newEvent('Tick', { i })]);
    const ga = eventsOf(await a.events(5)).map((e) => (e.data as { i: number }).i);
    const gb = eventsOf(await b.events(5)).map((e) => (e.data as { i: number }).i);
    t.same(ga, [0, 1, 2, 3, 4]);
    t.same(gb, [0, 1, 2, 3, 4]);
  });

  withStore('a burst of live appends arrives complete and in store order', async (t, store) => {
    const prefix = streamName('sub');
    const r = reader(t, store, { from: 'end', filter: { streamPrefixes: [prefix] } });
    await r.until('caughtUp');
    await Promise.all(Array.from({ length: 4 }, (_, w) => store.append(`${prefix}-w${w}`, events('Burst', 25))));
    const got = eventsOf(await r.events(100));
    t.equal(new Set(got.map((e) => e.id)).size, 100, 'every event exactly once');
    const positions = got.map((e) => e.position);
    t.same([...positions].sort(), positions, 'delivered in position order');
  });

  withStore('aborting the signal ends the subscription', async (t, store) => {
    const controller = new AbortController();
    const sub = store.subscribe({ from: 'end', signal: controller.signal });
    const iterator = sub[Symbol.asyncIterator]();
    t.equal((await iterator.next()).value?.kind, 'caughtUp');
    const pending = iterator.next();
    controller.abort();
    const result = await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 3000)),
    ]);
    t.same(result, { done: true, value: undefined });
  });
}
