import { Writable } from 'node:stream';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.js';
import type { NewEvent } from '../../src/eventstore/port.js';
import { EsdbStandIn } from '../fixtures/esdbStandIn/standInServer.js';
import { newEvent, streamName } from './contract/fixtures.js';
import { eventsOf, SubscriptionReader } from './subscriptionReader.js';

/** A logger whose warnings the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

/** Another writer's event, put straight into the stand-in's log while the adapter cannot reach it. */
function writeBehindTheAdaptersBack(standIn: EsdbStandIn, stream: string, event: NewEvent): void {
  const outcome = standIn.log.append(stream, { kind: 'any' }, [
    {
      id: event.id,
      type: event.type,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(event.data)),
      customMetadata: Buffer.from(JSON.stringify(event.metadata)),
    },
  ]);
  if (outcome.kind !== 'written') throw new Error(`stand-in refused the write: ${outcome.kind}`);
}

async function setUp(t: Test) {
  const standIn = await EsdbStandIn.start();
  const { logger, warnings } = capturingLogger();
  const store = await EsdbEventStore.connect({ connectionString: standIn.connectionString, logger });
  t.teardown(async () => {
    await store.close();
    await standIn.stop();
  });
  return { standIn, store, warnings };
}

t.test('when the server drops every connection mid-subscription', async (t) => {
  const { standIn, store, warnings } = await setUp(t);
  const prefix = streamName('drop');
  const sent: string[] = [];
  const append = async (event: NewEvent) => {
    await store.append(`${prefix}-a`, [event]);
    sent.push(event.id);
  };
  for (let i = 0; i < 3; i++) await append(newEvent('Before', { i }));
  const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'start', filter: { streamPrefixes: [prefix] }, signal }));
  t.teardown(() => reader.close());
  const history = eventsOf(await reader.until('caughtUp'));

  await standIn.stop();
  for (let i = 0; i < 2; i++) {
    const event = newEvent('WhileDown', { i });
    writeBehindTheAdaptersBack(standIn, `${prefix}-b`, event);
    sent.push(event.id);
  }
  await standIn.restart();
  for (let i = 0; i < 3; i++) await append(newEvent('AfterRestart', { i }));

  const rest = eventsOf(await reader.events(5, 15_000));
  const received = [...history, ...rest].map((e) => e.id);
  t.same(received, sent, 'every event once, in store order, across the drop');
  t.ok(warnings().some((m) => m.includes('resubscribing')), 'the drop was logged as a warning');
});

t.test('when the server drops the connection during catch-up', async (t) => {
  const { standIn, store } = await setUp(t);
  const prefix = streamName('catchup');
  const batch = Array.from({ length: 50 }, (_, i) => newEvent('Bulk', { i }));
  await store.append(`${prefix}-a`, batch);
  const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'start', filter: { streamPrefixes: [prefix] }, signal }));
  t.teardown(() => reader.close());
  const firstTen = eventsOf(await reader.events(10));
  await standIn.restart();
  const remaining = eventsOf(await reader.events(40, 15_000));
  t.same([...firstTen, ...remaining].map((e) => e.id), batch.map((e) => e.id), 'resumes after the last delivered event');
});

t.test('when the subscription started from the end and the server restarts before anything arrived', async (t) => {
  const { standIn, store } = await setUp(t);
  const prefix = streamName('fromend');
  await store.append(`${prefix}-a`, [newEvent('Old')]);
  const reader = new SubscriptionReader((signal) => store.subscribe({ from: 'end', filter: { streamPrefixes: [prefix] }, signal }));
  t.teardown(() => reader.close());
  await reader.until('caughtUp');
  await standIn.stop();
  const missed = newEvent('WhileDown');
  writeBehindTheAdaptersBack(standIn, `${prefix}-a`, missed);
  await standIn.restart();
  const got = eventsOf(await reader.events(1, 15_000));
  t.same(got.map((e) => e.id), [missed.id], 'an event written during the outage is not lost to "end"');
});

t.test('aborting while the server is down ends the subscription', async (t) => {
  const { standIn, store } = await setUp(t);
  const controller = new AbortController();
  const iterator = store.subscribe({ from: 'end', signal: controller.signal })[Symbol.asyncIterator]();
  t.equal((await iterator.next()).value?.kind, 'caughtUp');
  await standIn.stop();
  const pending = iterator.next();
  controller.abort();
  t.same(await pending, { done: true, value: undefined });
});
