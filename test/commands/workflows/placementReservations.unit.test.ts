import t from 'tap';
import { PlacementReservations } from '../../../src/commands/workflows/placementReservations.js';

const COOL = 300_000;
function reservations() {
  let now = 1_000_000;
  const store = new PlacementReservations(COOL, () => now);
  return { store, advance: (ms: number) => (now += ms) };
}

t.test('reserve / counts at once, meeting part included', async (t) => {
  const { store } = reservations();
  store.reserve('meeting-a', 'n1', 20);
  t.match(store.active(), [{ meeting: 'meeting-a', nodeId: 'n1', seats: 20, at: 1_000_000, countsMeeting: true }]);
});

t.test('reserve again for the same meeting / moves it (a retry on another node)', async (t) => {
  const { store } = reservations();
  store.reserve('meeting-a', 'n1', 20);
  store.reserve('meeting-a', 'n2', 20);
  t.same(store.active().map((r) => r.nodeId), ['n2']);
});

t.test('settle / leaves only the seats, and only for the reservation it names', async (t) => {
  const { store } = reservations();
  const first = store.reserve('meeting-a', 'n1', 20);
  const second = store.reserve('meeting-a', 'n2', 20);
  store.settle(first);
  t.equal(store.active()[0]?.countsMeeting, true, 'an old ticket does not settle the retry');
  store.settle(second);
  t.equal(store.active()[0]?.countsMeeting, false);
});

t.test('release / drops it, and only the reservation it names', async (t) => {
  const { store } = reservations();
  const first = store.reserve('meeting-a', 'n1', 20);
  const second = store.reserve('meeting-a', 'n2', 20);
  store.release(first);
  t.equal(store.active().length, 1);
  store.release(second);
  t.same(store.active(), []);
});

t.test('after the cool-down / a reservation is gone', async (t) => {
  const { store, advance } = reservations();
  store.reserve('meeting-a', 'n1', 20);
  advance(COOL - 1);
  t.equal(store.active().length, 1);
  advance(1);
  t.same(store.active(), []);
});
