import t from 'tap';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { evolveDeliveries, initialDeliveryProcessState, reactToDeliveries, type DeliveryInput } from '../../../src/sagas/deliveries/deliveryProcess.js';

const requested = (id: string, tenant = 'acme'): DomainEvent => ({
  type: 'CallbackDeliveryRequested',
  data: { deliveryId: id, tenant, scope: 'acme', meetingID: 'r', incarnation: 1, kind: 'endCallbackUrl', originalUrl: `https://lms/${id}`, url: `https://lms/${id}?x`, method: 'GET' },
});
const attempted = (id: string, attempt: number, nextAttemptAt: string | null, outcome: 'failed' | 'delivered' = 'failed'): DomainEvent => ({
  type: 'CallbackDeliveryAttempted',
  data: { deliveryId: id, attempt, outcome, status: 503, detail: '', nextAttemptAt },
});

/** given(events) / when(input) / then(effects): the state is always the fold of the given events. */
const given = (events: DomainEvent[]) => ({
  when: (input: DeliveryInput, queuedPerTenant = 100) => reactToDeliveries(events.reduce(evolveDeliveries, initialDeliveryProcessState()), input, { queuedPerTenant }),
});
const tick = (iso: string): DeliveryInput => ({ kind: 'tick', now: Date.parse(iso) });

t.test('given a requested delivery / when a tick comes / then its first attempt is asked for, with an id per attempt', async (t) => {
  t.same(given([requested('a')]).when(tick('2026-12-04T10:00:00Z')), [{ kind: 'deliver', id: 'a#1', deliveryId: 'a', url: 'https://lms/a?x', method: 'GET', attempt: 1 }]);
});

t.test('given any events / when an event arrives / then nothing is asked (a replay re-asks nothing)', async (t) => {
  t.same(given([]).when({ kind: 'event', event: requested('a') }), []);
});

t.test('given a failed attempt / then the next is asked for only once it is due', async (t) => {
  const history = [requested('a'), attempted('a', 1, '2026-12-04T10:00:05.000Z')];
  t.same(given(history).when(tick('2026-12-04T10:00:04.999Z')), []);
  t.match(given(history).when(tick('2026-12-04T10:00:05.000Z')), [{ id: 'a#2', attempt: 2 }]);
});

t.test('given a delivered, a dead-lettered and a pending delivery / then only the pending one is asked for', async (t) => {
  const history = [requested('a'), requested('b'), requested('c'), attempted('a', 1, null, 'delivered'), attempted('b', 1, null), { type: 'CallbackDeliveryDeadLettered', data: { deliveryId: 'b', attempts: 1, detail: '' } } as DomainEvent];
  t.match(given(history).when(tick('2026-12-04T10:00:00Z')), [{ deliveryId: 'c', attempt: 1 }]);
  t.equal(given(history).when(tick('2026-12-04T10:00:00Z')).length, 1);
});

t.test('given events of other aggregates / then the state does not change', async (t) => {
  const state = initialDeliveryProcessState();
  t.equal(evolveDeliveries(state, { type: 'TenantRegistered', data: { tenant: 'acme' } }), state);
  t.equal(evolveDeliveries(state, attempted('unknown', 1, null)), state, 'an attempt of a delivery never requested');
});

t.test("given more deliveries queued than a tenant's cap / then the newest beyond it are shed, other tenants untouched", async (t) => {
  const history = [requested('a1'), requested('b1', 'globex'), requested('a2'), requested('a3'), requested('b2', 'globex')];
  const effects = given(history).when(tick('2026-12-04T10:00:00Z'), 2);
  t.same(effects.map((e) => `${e.kind} ${e.deliveryId}`), ['deliver a1', 'deliver b1', 'deliver a2', 'shed a3', 'deliver b2']);
  t.match(effects[3], { id: 'a3#shed', tenant: 'acme', detail: /more than 2 deliveries queued/ });
});
