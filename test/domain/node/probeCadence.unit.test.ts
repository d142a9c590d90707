import t from 'tap';
import { nextProbeAt, type ProbeCadence } from '../../../src/domain/node/probeCadence.js';

const cadence: ProbeCadence = { firstAt: 7, intervalMs: 100, retryMs: 30, failThreshold: 3 };

t.test('after a success / the next tick of the node’s own grid (first probe + k·interval)', async (t) => {
  t.equal(nextProbeAt(cadence, 0, 12), 107);
  t.equal(nextProbeAt(cadence, 0, 107), 207, 'a probe ending on a tick waits for the next one');
});

t.test('after a success slower than the interval / the ticks it overran are skipped', async (t) => {
  t.equal(nextProbeAt(cadence, 0, 250), 307);
});

t.test('after a failure short of the threshold / the retry after the end of the failed probe', async (t) => {
  t.equal(nextProbeAt(cadence, 1, 20), 50);
  t.equal(nextProbeAt(cadence, 2, 50), 80);
});

t.test('after a failure close to the next tick / the tick, never later than a healthy node’s probe', async (t) => {
  t.equal(nextProbeAt(cadence, 1, 90), 107);
});

t.test('after the failure that makes the node offline, and any later one / the grid again', async (t) => {
  t.equal(nextProbeAt(cadence, 3, 80), 107);
  t.equal(nextProbeAt(cadence, 40, 3990), 4007);
});

t.test('with a fail threshold of 1 / every failure is already offline: the grid', async (t) => {
  t.equal(nextProbeAt({ ...cadence, failThreshold: 1 }, 1, 20), 107);
});
