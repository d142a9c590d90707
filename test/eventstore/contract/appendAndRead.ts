import type { Test } from 'tap';
import {
  IdempotencyConflictError,
  InvalidEventError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../../src/eventstore/errors.js';
import type { NewEvent } from '../../../src/eventstore/port.js';
import { collect, events, headPosition, ids, newEvent, streamName, type MakeStore } from './fixtures.js';

export function appendAndReadContract(t: Test, makeStore: MakeStore): void {
  const withStore = (name: string, body: (t: Test, store: Awaited<ReturnType<MakeStore>>) => Promise<void>) =>
    t.test(name, async (t) => {
      const store = await makeStore();
      t.teardown(() => store.close());
      await body(t, store);
    });

  withStore('a new stream appended with no_stream starts at revision 0', async (t, store) => {
    const s = streamName('node');
    const first = await store.append(s, [newEvent('NodeRegistered', { url: 'http://a' })], { expectedRevision: 'no_stream' });
    t.equal(first.nextExpectedRevision, 0n);
    const second = await store.append(s, events('NodeEnabled', 3), { expectedRevision: 0n });
    t.equal(second.nextExpectedRevision, 3n, 'a batch of three moves the revision by three');
    t.ok(second.position > first.position, 'positions grow');
  });

  withStore('no_stream on an existing stream is a wrong expected version with the actual revision', async (t, store) => {
    const s = streamName('node');
    await store.append(s, events('A', 2));
    const error = await store.append(s, events('B', 1), { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
    t.type(error, WrongExpectedVersionError);
    t.equal((error as WrongExpectedVersionError).actual, 1n);
  });

  withStore('stream_exists on a missing stream is rejected, on an existing one accepted', async (t, store) => {
    const s = streamName('node');
    await t.rejects(store.append(s, events('A', 1), { expectedRevision: 'stream_exists' }), WrongExpectedVersionError);
    await store.append(s, events('A', 1), { expectedRevision: 'no_stream' });
    const r = await store.append(s, events('B', 1), { expectedRevision: 'stream_exists' });
    t.equal(r.nextExpectedRevision, 1n);
  });

  withStore('a stale revision is rejected and nothing is written', async (t, store) => {
    const s = streamName('meeting');
    await store.append(s, events('A', 2));
    await t.rejects(store.append(s, events('B', 1), { expectedRevision: 0n }), WrongExpectedVersionError);
    await t.rejects(store.append(s, events('B', 1), { expectedRevision: 5n }), WrongExpectedVersionError);
    t.equal((await collect(store.readStream(s))).length, 2);
  });

  withStore('any appends whatever the stream state', async (t, store) => {
    const s = streamName('meeting');
    t.equal((await store.append(s, events('A', 1), { expectedRevision: 'any' })).nextExpectedRevision, 0n);
    t.equal((await store.append(s, events('A', 1))).nextExpectedRevision, 1n);
  });

  withStore('racing appends at the same expected revision: exactly one wins', async (t, store) => {
    const s = streamName('meeting');
    await store.append(s, events('Created', 1));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => store.append(s, events('Joined', 1), { expectedRevision: 0n })),
    );
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') t.type(r.reason, WrongExpectedVersionError);
    t.equal((await collect(store.readStream(s))).length, 2);
  });

  withStore('readStream forwards honours fromRevision and maxCount', async (t, store) => {
    const s = streamName('tenant');
    const written = events('E', 5);
    await store.append(s, written);
    const all = await collect(store.readStream(s));
    t.same(ids(all), ids(written as never), 'all in order');
    t.same(all.map((e) => e.revision), [0n, 1n, 2n, 3n, 4n]);
    const middle = await collect(store.readStream(s, { fromRevision: 1n, maxCount: 2 }));
    t.same(middle.map((e) => e.revision), [1n, 2n]);
  });

  withStore('readStream backwards reads from the end or from a revision', async (t, store) => {
    const s = streamName('tenant');
    await store.append(s, events('E', 4));
    const last = await collect(store.readStream(s, { direction: 'backwards', maxCount: 1 }));
    t.same(last.map((e) => e.revision), [3n]);
    const fromTwo = await collect(store.readStream(s, { direction: 'backwards', fromRevision: 2n }));
    t.same(fromTwo.map((e) => e.revision), [2n, 1n, 0n]);
  });

  withStore('reading a missing stream throws StreamNotFound', async (t, store) => {
    await t.rejects(collect(store.readStream(streamName('nothing'))), StreamNotFoundError);
  });

  withStore('data and metadata round-trip unchanged', async (t, store) => {
    const s = streamName('meeting');
    const data = { name: 'Café "Ünïcode" & <xml>', nested: { list: [1, 2.5, null, true], empty: {} } };
    const e = newEvent('MeetingCreated', data);
    await store.append(s, [e]);
    const [read] = await collect(store.readStream(s));
    t.same(read?.data, data);
    t.same(read?.metadata, e.metadata);
    t.equal(read?.type, 'MeetingCreated');
    t.equal(read?.streamId, s);
    t.type(read?.recordedAt, Date);
  });

  withStore('a soft-deleted stream reads as missing and re-opens with revisions continuing', async (t, store) => {
    const s = streamName('meeting');
    await store.append(s, events('A', 2));
    await store.deleteStream(s);
    await t.rejects(collect(store.readStream(s)), StreamNotFoundError);
    await t.rejects(store.append(s, events('B', 1), { expectedRevision: 'stream_exists' }), WrongExpectedVersionError);
    const r = await store.append(s, events('B', 1), { expectedRevision: 'no_stream' });
    t.equal(r.nextExpectedRevision, 2n);
    t.same((await collect(store.readStream(s))).map((e) => e.revision), [2n]);
  });

  withStore('a tombstoned stream can be neither read nor written', async (t, store) => {
    const s = streamName('recording');
    await store.append(s, events('A', 1));
    await store.tombstoneStream(s);
    await t.rejects(collect(store.readStream(s)), StreamDeletedError);
    await t.rejects(store.append(s, events('B', 1)), StreamDeletedError);
  });

  withStore('re-appending the same event ids is a no-op returning the first result', async (t, store) => {
    const s = streamName('meeting');
    const batch = events('Created', 2);
    const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
    const again = await store.append(s, batch, { expectedRevision: 'no_stream' });
    t.equal(again.nextExpectedRevision, first.nextExpectedRevision);
    const withAny = await store.append(s, batch, { expectedRevision: 'any' });
    t.equal(withAny.nextExpectedRevision, first.nextExpectedRevision);
    t.equal((await collect(store.readStream(s))).length, 2, 'no duplicates stored');
  });

  withStore('a batch that partly repeats stored ids is refused', async (t, store) => {
    const s = streamName('meeting');
    const [a, b] = events('E', 2) as [NewEvent, NewEvent];
    await store.append(s, [a]);
    await t.rejects(store.append(s, [a, b]), IdempotencyConflictError);
  });

  withStore('malformed events are refused with InvalidEvent', async (t, store) => {
    const s = streamName('bad');
    const good = newEvent('Ok');
    await t.rejects(store.append(s, []), InvalidEventError, 'empty batch');
    await t.rejects(store.append(s, [{ ...good, id: 'not-a-uuid' }]), InvalidEventError, 'id');
    await t.rejects(store.append(s, [{ ...good, type: '$system' }]), InvalidEventError, 'reserved type');
    await t.rejects(store.append(s, [{ ...good, data: undefined as never }]), InvalidEventError, 'undefined data');
    await t.rejects(store.append(s, [{ ...good, metadata: { ...good.metadata, actor: '' } }]), InvalidEventError, 'actor');
    await t.rejects(store.append('$all', [good]), InvalidEventError, 'reserved stream');
    await t.rejects(collect(store.readStream(s)), StreamNotFoundError, 'nothing was written');
  });

  withStore('readAll returns every stream in append order with exclusive positions', async (t, store) => {
    const a = streamName('node');
    const b = streamName('meeting');
    const start = await headPosition(store);
    await store.append(a, [newEvent('One')]);
    await store.append(b, [newEvent('Two'), newEvent('Three')]);
    await store.append(a, [newEvent('Four')]);
    const all = await collect(store.readAll({ from: start }));
    t.same(all.map((e) => e.type), ['One', 'Two', 'Three', 'Four']);
    const positions = all.map((e) => e.position);
    t.same([...positions].sort(), positions, 'positions sort as strings in log order');
    t.equal(new Set(positions).size, 4);
    const after = await collect(store.readAll({ from: all[1]!.position }));
    t.same(after.map((e) => e.type), ['Three', 'Four']);
    const before = await collect(store.readAll({ direction: 'backwards', from: all[2]!.position }));
    t.same(before.slice(0, 2).map((e) => e.type), ['Two', 'One']);
    const lastTwo = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
    t.same(lastTwo.map((e) => e.type), ['Four', 'Three']);
    t.same(await collect(store.readAll({ from: all[3]!.position })), [], 'nothing after the last');
  });
}
