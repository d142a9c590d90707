import { applyRules, type Params } from './applyRules.js';
import { reached, type LimitKind, type LimitMode } from './limits.js';
import type { ScopePolicy } from './scopePolicy.js';
import type { UsageTotals } from './usage.js';

/** A limit a call ran into: the numbers for the TenantLimitExceeded event and the answer. */
export interface LimitHit {
  /** Whose limit: 0 the tenant's, else the sub's. */
  subId: number;
  limit: LimitKind;
  max: number;
  /** In use when the call came, before it. */
  count: number;
  mode: LimitMode;
}

export interface PolicyError {
  key: string;
  message: string;
}

export type PolicyVerdict =
  /** `hit`: a soft limit was at or past its maximum; the call goes on and the hit is recorded. */
  /** `params`: what goes to the node; the very object asked about when nothing applies. */
  | { kind: 'allowed'; params: Params; hit: LimitHit | undefined }
  | { kind: 'refused'; error: PolicyError; hit: LimitHit };

export interface CreateQuestion {
  policy: ScopePolicy;
  /** Usage counted where the policy's limits are: the tenant's or the scope's. */
  usage: Readonly<UsageTotals>;
  /** A repeated create of a running meeting starts nothing new: limits never refuse it. */
  alreadyRunning: boolean;
  params: Params;
}

/** create: the meeting limit, then the parameter rules. */
export function createVerdict({ policy, usage, alreadyRunning, params }: CreateQuestion): PolicyVerdict {
  const limits = policy.limits;
  const hit = !alreadyRunning && limits && reached(usage.meetings, limits.meetings) ? limitHit(policy, 'meetings', usage.meetings) : undefined;
  if (hit?.mode === 'hard') return { kind: 'refused', error: meetingLimitError(hit), hit };
  return { kind: 'allowed', params: policy.create.size === 0 ? params : applyRules(params, policy.create), hit };
}

export interface JoinQuestion {
  policy: ScopePolicy;
  usage: Readonly<UsageTotals>;
  params: Params;
}

/** join: the attendee limit, then the parameter rules. */
export function joinVerdict({ policy, usage, params }: JoinQuestion): PolicyVerdict {
  const limits = policy.limits;
  const hit = limits && reached(usage.participants, limits.attendees) ? limitHit(policy, 'attendees', usage.participants) : undefined;
  // The key bbb-web answers for a full meeting: frontends (Greenlight) show their own "room full" text for it.
  if (hit?.mode === 'hard') return { kind: 'refused', error: { key: 'maxParticipantsReached', message: 'The number of participants allowed for this meeting has been reached.' }, hit };
  return { kind: 'allowed', params: policy.join.size === 0 ? params : applyRules(params, policy.join), hit };
}

function limitHit(policy: ScopePolicy, limit: LimitKind, count: number): LimitHit {
  const limits = policy.limits!;
  return { subId: limits.subId, limit, max: limits[limit]!, count, mode: limits.mode };
}

function meetingLimitError(hit: LimitHit): PolicyError {
  if (hit.max === 0) {
    return { key: 'meetingLimitReached', message: 'Your organisation may not start meetings at the moment. Please ask your administrator to allow meetings again.' };
  }
  const many = hit.max === 1 ? 'one meeting' : `${hit.max} meetings`;
  return {
    key: 'meetingLimitReached',
    message: `Your organisation may run ${many} at the same time, and that many are running now. Please try again when one of them has ended, or ask your administrator to raise the limit.`,
  };
}
