import t from 'tap';
import { createVerdict, joinVerdict } from '../../../src/domain/policy/policyChain.js';
import { scopePolicyOf, type TenantPolicies } from '../../../src/domain/policy/scopePolicy.js';
import type { TenantLimits } from '../../../src/domain/policy/limits.js';

const policies = (limits: Array<[number, TenantLimits]>): TenantPolicies => ({ limits: new Map(limits), parameters: new Map() });
const hard2: TenantLimits = { meetings: 2, attendees: 3, mode: 'hard' };
const params: Array<[string, string]> = [['meetingID', 'm']];

t.test('create under a hard meeting limit / refused at the limit with meetingLimitReached, allowed below it or when running', async (t) => {
  const policy = scopePolicyOf(policies([[0, hard2]]), 0);
  t.match(createVerdict({ policy, usage: { meetings: 2, participants: 0 }, alreadyRunning: false, params }), {
    kind: 'refused',
    error: { key: 'meetingLimitReached', message: /2 meetings at the same time/ },
    hit: { subId: 0, limit: 'meetings', max: 2, count: 2, mode: 'hard' },
  });
  t.match(createVerdict({ policy, usage: { meetings: 1, participants: 0 }, alreadyRunning: false, params }), { kind: 'allowed', hit: undefined });
  t.match(createVerdict({ policy, usage: { meetings: 5, participants: 0 }, alreadyRunning: true, params }), { kind: 'allowed', hit: undefined });
  const none = scopePolicyOf(policies([[0, { meetings: 0, attendees: null, mode: 'hard' }]]), 0);
  t.match(createVerdict({ policy: none, usage: { meetings: 0, participants: 0 }, alreadyRunning: false, params }), { kind: 'refused', error: { message: /may not start meetings/ } });
});

t.test('join under a hard attendee limit / refused with maxParticipantsReached once the count reaches it', async (t) => {
  const policy = scopePolicyOf(policies([[0, hard2]]), 0);
  t.match(joinVerdict({ policy, usage: { meetings: 1, participants: 3 }, params }), { kind: 'refused', error: { key: 'maxParticipantsReached' }, hit: { limit: 'attendees', max: 3, count: 3 } });
  t.match(joinVerdict({ policy, usage: { meetings: 1, participants: 2 }, params }), { kind: 'allowed', hit: undefined });
});

t.test('soft limits / allowed with the hit', async (t) => {
  const policy = scopePolicyOf(policies([[0, { ...hard2, mode: 'soft' }]]), 0);
  t.match(joinVerdict({ policy, usage: { meetings: 1, participants: 9 }, params }), { kind: 'allowed', hit: { mode: 'soft', count: 9, max: 3 } });
  t.match(createVerdict({ policy, usage: { meetings: 2, participants: 0 }, alreadyRunning: false, params }), { kind: 'allowed', hit: { mode: 'soft', limit: 'meetings' } });
});

t.test('scope policy / a sub with its own limits is counted on its scope, one without falls under the tenant', async (t) => {
  const both = policies([[0, hard2], [7, { meetings: 1, attendees: null, mode: 'soft' }]]);
  t.match(scopePolicyOf(both, 7).limits, { subId: 7, counted: 'scope', meetings: 1, mode: 'soft' });
  t.match(scopePolicyOf(both, 8).limits, { subId: 0, counted: 'tenant', meetings: 2 });
  t.equal(scopePolicyOf(policies([]), 3).limits, undefined);
});

t.test('no rules / the very parameters asked about go on', async (t) => {
  const policy = scopePolicyOf(policies([]), 0);
  const verdict = joinVerdict({ policy, usage: { meetings: 0, participants: 0 }, params });
  t.equal(verdict.kind === 'allowed' && verdict.params, params);
});
