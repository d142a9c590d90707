import t from 'tap';
import { SharedReads } from '../../src/eventstore/sharedReads.js';

t.test('when two identical reads are in flight at once / they share one load', async (t) => {
  const reads = new SharedReads<number[]>();
  let loads = 0;
  let release!: (rows: number[]) => void;
  const load = () => {
    loads += 1;
    return new Promise<number[]>((resolve) => (release = resolve));
  };
  const first = reads.read('after-5/500', load);
  const second = reads.read('after-5/500', load);
  release([6, 7]);
  t.same(await Promise.all([first, second]), [[6, 7], [6, 7]]);
  t.equal(loads, 1);
});

t.test('when a read has settled / the next identical read loads again (never a stale page)', async (t) => {
  const reads = new SharedReads<number>();
  let loads = 0;
  await reads.read('k', async () => ++loads);
  t.equal(await reads.read('k', async () => ++loads), 2);
});

t.test('when a shared load fails / every sharer gets the error and the next read retries', async (t) => {
  const reads = new SharedReads<number>();
  const failing = () => Promise.reject(new Error('connection lost'));
  await Promise.all([t.rejects(reads.read('k', failing), /connection lost/), t.rejects(reads.read('k', failing), /connection lost/)]);
  t.equal(await reads.read('k', async () => 1), 1);
});

t.test('when the keys differ / each loads on its own', async (t) => {
  const reads = new SharedReads<string>();
  t.same(await Promise.all([reads.read('a', async () => 'A'), reads.read('b', async () => 'B')]), ['A', 'B']);
});
