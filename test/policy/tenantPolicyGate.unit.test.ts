import t from 'tap';
import type { MeetingEvent } from '../../src/domain/meeting/events.js';
import type { Position } from '../../src/eventstore/position.js';
import type { LimitHit } from '../../src/domain/policy/policyChain.js';
import { NO_POLICY, scopePolicyOf } from '../../src/domain/policy/scopePolicy.js';
import { TenantPolicyGate } from '../../src/policy/tenantPolicyGate.js';

const meeting = { tenant: 'acme', scope: 'acme', meetingID: 'room' };
const created: MeetingEvent = {
  type: 'MeetingCreated',
  data: { ...meeting, nodeId: 'n1', nodeMeetingID: 'acme-x', internalMeetingID: 'i', createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'R', metadata: {}, params: {} },
};

function gate(mode: 'hard' | 'soft') {
  const hits: Array<[LimitHit, string]> = [];
  const policy = scopePolicyOf({ limits: new Map([[0, { meetings: null, attendees: 2, mode }]]), parameters: new Map() }, 0);
  const g = new TenantPolicyGate({ policyFor: () => policy, recorder: { record: (_t, _s, hit, outcome) => hits.push([hit, outcome]) }, pendingCreateTtlMs: 1000, now: () => 0 });
  void g.target.commit({ entries: [{ position: '1' as Position, ops: [created] }], checkpoint: '1' as Position });
  return { g, hits };
}

t.test('joins / counted in process at once; refused at the limit, recorded unless the fast path asks', async (t) => {
  const { g, hits } = gate('hard');
  t.equal(g.join(meeting, new Map()).kind, 'allowed');
  t.equal(g.join(meeting, new Map()).kind, 'allowed');
  t.equal(g.join(meeting, new Map(), undefined, { recordRefusal: false }).kind, 'refused');
  t.equal(hits.length, 0, 'the fast path leaves the refusal to Koa');
  t.equal(g.join(meeting, new Map()).kind, 'refused');
  t.match(hits, [[{ limit: 'attendees', max: 2, count: 2, mode: 'hard' }, 'refused']]);
});

t.test('soft / allowed past the limit and recorded, on either path', async (t) => {
  const { g, hits } = gate('soft');
  g.join(meeting, new Map());
  g.join(meeting, new Map());
  t.equal(g.join(meeting, new Map(), undefined, { recordRefusal: false }).kind, 'allowed');
  t.match(hits, [[{ mode: 'soft', count: 2 }, 'allowed']]);
});

t.test('limit readings for /metrics / a tenant\'s own limits with what it uses now; unlimited ones left out', async (t) => {
  const { g } = gate('hard');
  g.join(meeting, new Map());
  t.same(g.limitReadings(['acme']), [{ tenant: 'acme', limit: 'attendees', max: 2, used: 1 }]);
  const none = new TenantPolicyGate({ policyFor: () => NO_POLICY, recorder: { record: () => undefined }, pendingCreateTtlMs: 1000, now: () => 0 });
  t.same(none.limitReadings(['acme', 'globex']), [], 'no limits, no readings');
});
