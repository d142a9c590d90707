import t from 'tap';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { cpuLoad, loadBreakdown, nodeLoad, type LoadWeights } from '../../../src/domain/placement/loadModel.js';
import type { Reservation } from '../../../src/domain/placement/reservations.js';
import { node } from './placementNode.js';

const W: LoadWeights = { ...DEFAULT_LOAD_WEIGHTS, participant: 1, meeting: 15, breakoutMeeting: 5, cpuMax: 5000, cpuOrder: 6, cooldownMs: 300_000 };
const NOW = Date.parse('2026-11-23T10:00:00Z');

t.test('CPU polynomial / equals B3LB (cpuMax/order)·Σ(cpu/10000)^n on a 0–1 share', async (t) => {
  t.equal(cpuLoad(0, W), 0, 'an idle node adds nothing');
  t.equal(cpuLoad(1, W), 5000, 'a saturated node adds cpuMax');
  t.equal(cpuLoad(0.5, W), (5000 / 6) * (0.5 + 0.25 + 0.125 + 0.0625 + 0.03125 + 0.015625), '50 % → 820.3125');
  t.equal(cpuLoad(0.5, W), 820.3125);
  const b3lb = (cpu: number) => (5000 / 6) * [1, 2, 3, 4, 5, 6].reduce((sum, n) => sum + (cpu / 10000) ** n, 0);
  t.ok(Math.abs(cpuLoad(0.8, W) - b3lb(8000)) < 1e-9, 'the same as B3LB for cpu = share × 10000');
  t.equal(cpuLoad(0.5, { cpuMax: 5000, cpuOrder: 1 }), 2500, 'order 1 is linear');
});

t.test('CPU polynomial / when the node reports no CPU, or nonsense / counts nothing or clamps', async (t) => {
  t.equal(cpuLoad(undefined, W), 0);
  t.equal(cpuLoad(null, W), 0);
  t.equal(cpuLoad(Number.NaN, W), 0);
  t.equal(cpuLoad(0.5, { cpuMax: 5000, cpuOrder: 0 }), 0, 'order 0 switches CPU off');
  t.equal(cpuLoad(1.7, W), 5000, 'above 100 % counts as 100 %');
  t.equal(cpuLoad(-0.2, W), 0);
});

t.test('node load / is a·participants + m·meetings + b·breakouts, × loadFactor, + CPU', async (t) => {
  const n = node('a', { participants: 30, meetings: 2, breakoutMeetings: 3, loadFactor: 2, cpu: 0.5 });
  t.same(loadBreakdown(n, W, NOW), { participants: 60, meetings: 60, breakoutMeetings: 30, cpu: 820.3125, reserved: 0, total: 970.3125 });
  t.equal(nodeLoad(n, W, NOW), 970.3125);
  t.equal(nodeLoad(node('b', { participants: 10, meetings: 1 }), { ...W, participant: 2, meeting: 30 }, NOW), 50, 'weights are configuration');
});

t.test('node load / when the poller has not reported breakouts or CPU yet / counts what is known', async (t) => {
  t.equal(nodeLoad(node('a', { participants: 7, meetings: 1 }), W, NOW), 22);
});

t.test('node load / with reservations on the node / adds decayed seats and not-yet-projected meetings, × loadFactor', async (t) => {
  const reservations: Reservation[] = [
    { meeting: 'm1', nodeId: 'a', seats: 20, at: NOW - 150_000, countsMeeting: true },
    { meeting: 'm2', nodeId: 'a', seats: 40, at: NOW, countsMeeting: false },
    { meeting: 'm3', nodeId: 'b', seats: 99, at: NOW, countsMeeting: true },
    { meeting: 'm4', nodeId: 'a', seats: 99, at: NOW - 300_000, countsMeeting: true },
  ];
  // m1: 10 seats left + 1 meeting; m2: 40 seats; m3 is another node's; m4 has cooled down.
  const breakdown = loadBreakdown(node('a', { loadFactor: 2 }), W, NOW, reservations);
  t.equal(breakdown.reserved, 2 * (10 + 40 + 15));
  t.equal(breakdown.total, 130);
});
