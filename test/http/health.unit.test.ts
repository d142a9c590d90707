import t from 'tap';
import { healthAnswer } from '../../src/http/health.js';
import type { Position } from '../../src/eventstore/port.js';
import type { ProjectionStatus } from '../../src/projections/runner.js';

const at = 'P:1' as Position;

const live = (name: string): ProjectionStatus => ({ name, state: 'live', checkpoint: at });

t.test('when every read model is live / 200 ok', async (t) => {
  t.match(healthAnswer([live('meetingList'), live('redis:meetingList')], 'postgres'), { status: 200, body: { status: 'ok', eventStore: 'postgres' } });
  t.notOk('degraded' in healthAnswer([live('meetingList')], 'memory').body);
});

t.test('when a shared model is being rebuilt / 200 degraded, naming it', async (t) => {
  const healing: ProjectionStatus = { name: 'redis:meetingList', state: 'degraded', checkpoint: undefined, degradedBy: 'its checkpoint vanished', heals: 1 };
  const answer = healthAnswer([live('meetingList'), healing], 'postgres');
  t.equal(answer.status, 200, 'the API still answers from this instance\'s models');
  t.same(answer.body.degraded, ['redis:meetingList']);
  t.equal(answer.body.status, 'degraded');
  t.match(answer.body.projections[1], { degradedBy: 'its checkpoint vanished', heals: 1 });
});

t.test('when a read model failed, even beside a degraded one / 503 failing', async (t) => {
  const failed: ProjectionStatus = { name: 'nodeList', state: 'failed', checkpoint: at, error: 'boom' };
  const degraded: ProjectionStatus = { name: 'redis:nodeList', state: 'degraded', checkpoint: undefined };
  t.match(healthAnswer([failed, degraded], 'memory'), { status: 503, body: { status: 'failing', degraded: ['redis:nodeList'] } });
});

t.test('when the event store does not answer / 503 failing, naming the store; Redis down alone does not fail', async (t) => {
  const down = { available: false as const, since: '2026-12-04T00:00:00.000Z', reason: 'Query read timeout' };
  t.match(healthAnswer([live('meetingList')], 'postgres', { eventStore: down, redis: { available: true } }), {
    status: 503,
    body: { status: 'failing', stores: { eventStore: { available: false, reason: 'Query read timeout' } } },
  });
  t.match(healthAnswer([live('meetingList')], 'postgres', { eventStore: { available: true }, redis: down }), { status: 200, body: { status: 'ok' } });
});
