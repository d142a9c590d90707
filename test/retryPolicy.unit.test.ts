import t from 'tap';
import { DEFAULT_RETRY_POLICY, nextRetry, retrySchedule, type RetryPolicy } from '../src/retryPolicy.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000, jitter: 0.5 };

t.test('without jitter the delays double up to the ceiling, and the last attempt has no next', async (t) => {
  t.same(retrySchedule({ ...policy, jitter: 0 }, () => 0.99), [1000, 2000, 4000, 5000]);
  t.same(nextRetry(policy, 5, () => 0), { retry: false });
});

t.test('jitter takes up to its share off each delay, never more', async (t) => {
  t.same(retrySchedule(policy, () => 0), [1000, 2000, 4000, 5000], 'random 0: the full delay');
  t.same(retrySchedule(policy, () => 0.999999), [500, 1000, 2000, 2500], 'random near 1: half off');
  t.same(nextRetry({ ...policy, jitter: 1 }, 1, () => 0.5), { retry: true, delayMs: 500 });
});

t.test('one attempt only means never retry; the default gives up within half an hour', async (t) => {
  t.same(retrySchedule({ ...policy, maxAttempts: 1 }, Math.random), []);
  const total = retrySchedule(DEFAULT_RETRY_POLICY, () => 0).reduce((a, b) => a + b, 0);
  t.ok(total <= 30 * 60_000, `${total} ms`);
});
