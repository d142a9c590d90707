import t from 'tap';
import { CheckpointGuard } from '../../src/eventstore/esdb/checkpointGuard.js';
import { serverTraits } from '../../src/eventstore/esdb/serverVersion.js';

const at = (n: number) => ({ commit: BigInt(n), prepare: BigInt(n) });
const MAX = 2n ** 64n - 1n;

t.test('CheckpointGuard', async (t) => {
  t.test('given a checkpoint, when a later one arrives, then the first is released and the second held', async (t) => {
    const guard = new CheckpointGuard(undefined);
    t.same(guard.offer(at(10)), { verdict: 'held' });
    t.same(guard.offer(at(20)), { verdict: 'held', release: at(10) });
    t.same(guard.caughtUp(), at(20));
    t.equal(guard.caughtUp(), undefined, 'released once');
  });

  t.test('given a held checkpoint, when an event at its position arrives (it was early), then it is dropped', async (t) => {
    const guard = new CheckpointGuard(at(1));
    guard.offer(at(10));
    guard.event(at(10));
    t.equal(guard.caughtUp(), undefined);
    t.same(guard.offer(at(10)), { verdict: 'stale' }, 'and never offered again at or before the event');
  });

  t.test('2^64−1 and other positions beyond a signed 64-bit number are invalid', async (t) => {
    const guard = new CheckpointGuard(undefined);
    t.same(guard.offer({ commit: MAX, prepare: MAX }), { verdict: 'invalid' });
    t.same(guard.offer({ commit: 2n ** 63n, prepare: 0n }), { verdict: 'invalid' });
    t.equal(guard.caughtUp(), undefined);
  });
});

t.test('serverTraits', async (t) => {
  t.throws(() => serverTraits('unknown'), /did not report its version.*22\.10 to 25\.1/);
  t.throws(() => serverTraits('21.10.9'), /older than this adapter supports/);
  t.same(serverTraits('22.10.5'), { version: '22.10.5', sendsCaughtUp: false });
  t.same(serverTraits('23.10.0'), { version: '23.10.0', sendsCaughtUp: true });
  t.same(serverTraits('25.1.4'), { version: '25.1.4', sendsCaughtUp: true });
  t.match(serverTraits('25.2.0'), { sendsCaughtUp: true, warning: /newer than the versions/ });
});
