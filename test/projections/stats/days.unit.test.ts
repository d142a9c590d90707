import t from 'tap';
import { dayOf, splitByDay } from '../../../src/projections/stats/days.js';

const ms = (iso: string) => Date.parse(iso);

t.test('a span within one day / is one part', async (t) => {
  t.same(splitByDay(ms('2026-11-23T10:00:00Z'), ms('2026-11-23T11:30:00Z')), [{ day: '2026-11-23', ms: 5_400_000 }]);
});

t.test('a span across midnight UTC / is split at midnight', async (t) => {
  t.same(splitByDay(ms('2026-11-23T23:00:00Z'), ms('2026-11-25T01:00:00Z')), [
    { day: '2026-11-23', ms: 3_600_000 },
    { day: '2026-11-24', ms: 86_400_000 },
    { day: '2026-11-25', ms: 3_600_000 },
  ]);
});

t.test('an empty or reversed span / has no parts', async (t) => {
  t.same(splitByDay(5, 5), []);
  t.same(splitByDay(10, 5), []);
  t.equal(dayOf(ms('2026-11-23T23:59:59.999Z')), '2026-11-23');
});
