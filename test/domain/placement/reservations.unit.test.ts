import t from 'tap';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { isExpired, remainingSeats, reservedOn, seatsFor, type Reservation } from '../../../src/domain/placement/reservations.js';

const AT = 1_000_000;
const COOL = 300_000;
const r = (overrides: Partial<Reservation> = {}): Reservation => ({ meeting: 'm', nodeId: 'a', seats: 20, at: AT, countsMeeting: true, ...overrides });

t.test('reserved seats / decay linearly to 0 over the cool-down', async (t) => {
  t.equal(remainingSeats(r(), COOL, AT), 20, 'all of them at placement');
  t.equal(remainingSeats(r(), COOL, AT + 75_000), 15);
  t.equal(remainingSeats(r(), COOL, AT + 150_000), 10);
  t.equal(remainingSeats(r(), COOL, AT + 300_000), 0);
  t.equal(remainingSeats(r(), COOL, AT + 900_000), 0);
  t.equal(remainingSeats(r(), COOL, AT - 5000), 20, 'a clock that steps back does not add seats');
  t.equal(remainingSeats(r(), 0, AT), 0, 'a cool-down of 0 reserves nothing');
});

t.test('a reservation / expires, meeting part included, at the end of the cool-down', async (t) => {
  t.notOk(isExpired(r(), COOL, AT + 299_999));
  t.ok(isExpired(r(), COOL, AT + 300_000));
});

t.test('reserved on a node / sums its live reservations only', async (t) => {
  const all = [r({ meeting: 'm1' }), r({ meeting: 'm2', countsMeeting: false, at: AT - 150_000 }), r({ meeting: 'm3', nodeId: 'b' }), r({ meeting: 'm4', at: AT - COOL })];
  t.same(reservedOn('a', all, COOL, AT), { seats: 30, meetings: 1 });
  t.same(reservedOn('c', all, COOL, AT), { seats: 0, meetings: 0 });
});

t.test('seats for a create / the size hint, capped, or the default', async (t) => {
  const w = { ...DEFAULT_LOAD_WEIGHTS, reservedSeats: 20, sizeHintMax: 100 };
  t.equal(seatsFor(undefined, w), 20, 'no hint → default');
  t.equal(seatsFor('35', w), 35, 'a hint is believed');
  t.equal(seatsFor(' 4 ', w), 4, 'a small hint too (a 1:1 meeting)');
  t.equal(seatsFor('0', w), 0);
  t.equal(seatsFor('5000', w), 100, 'capped, so a client cannot reserve a node for itself');
  for (const bad of ['', 'many', '-3', '2.5', '1e3', '12345678901']) t.equal(seatsFor(bad, w), 20, `"${bad}" → default`);
});

t.test('given many reservations over several nodes / reservedOn sums each node as one by one would, expired ones left out', async (t) => {
  const cooldownMs = 60_000;
  const now = 1_000_000;
  const many = Array.from({ length: 200 }, (_, i) => ({ meeting: `m${i}`, nodeId: `n${i % 3}`, seats: 1 + (i % 5), at: now - i * 500, countsMeeting: i % 2 === 0 }));
  for (const nodeId of ['n0', 'n1', 'n2', 'n9']) {
    const expected = many
      .filter((r) => r.nodeId === nodeId && now - r.at < cooldownMs)
      .reduce((sum, r) => ({ seats: sum.seats + r.seats * (1 - (now - r.at) / cooldownMs), meetings: sum.meetings + (r.countsMeeting ? 1 : 0) }), { seats: 0, meetings: 0 });
    const got = reservedOn(nodeId, many, cooldownMs, now);
    t.equal(got.meetings, expected.meetings, `${nodeId}: meetings`);
    t.ok(Math.abs(got.seats - expected.seats) < 1e-9, `${nodeId}: seats ${got.seats} ≈ ${expected.seats}`);
  }
  t.same(reservedOn('n0', many, cooldownMs, now + cooldownMs * 2), { seats: 0, meetings: 0 }, 'a later moment is summed again, not taken from the first');
});
