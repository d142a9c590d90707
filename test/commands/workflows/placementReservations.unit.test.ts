import t from 'tap';
import { PlacementReservations } from '../../../src/commands/workflows/placementReservations.js';
import { reservedOn } from '../../../src/domain/placement/reservations.js';

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

t.test('summary / gives every node the load active() gives, in one seat reservation per node plus the unsettled meetings', async (t) => {
  const { store, advance } = reservations();
  const tickets = [];
  for (let i = 0; i < 300; i++) {
    tickets.push(store.reserve(`m${i}`, `n${i % 4}`, 1 + (i % 7)));
    advance(1000);
  }
  for (const ticket of tickets.slice(0, 250)) store.settle(ticket);
  store.release(tickets[260]!);
  store.reserve('m270', 'n9', 5); // moved to another node
  advance(30_000); // the first reservations expire
  const now = 1_000_000 + 330_000;
  const active = store.active();
  const summary = store.summary();
  t.ok(summary.length < 4 + 60, `${summary.length} reservations stand for ${active.length}`);
  for (const nodeId of ['n0', 'n1', 'n2', 'n3', 'n9', 'n7']) {
    const full = reservedOn(nodeId, active, COOL, now);
    const short = reservedOn(nodeId, summary, COOL, now);
    t.equal(short.meetings, full.meetings, `${nodeId}: meetings`);
    t.ok(Math.abs(short.seats - full.seats) < 1e-6, `${nodeId}: seats ${short.seats} ≈ ${full.seats}`);
  }
  t.equal(store.summary(), summary, 'unchanged: the same list (a scrape asks once per node)');
  store.reserve('m-new', 'n1', 1);
  t.not(store.summary(), summary, 'a new reservation: a new list');
  advance(COOL);
  t.same(store.summary(), [], 'all gone after the cool-down');
});
