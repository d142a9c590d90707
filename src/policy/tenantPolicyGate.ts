import type { MeetingEvent } from '../domain/meeting/events.js';
import type { Params } from '../domain/policy/applyRules.js';
import { createVerdict, joinVerdict, type PolicyVerdict } from '../domain/policy/policyChain.js';
import type { ScopePolicy } from '../domain/policy/scopePolicy.js';
import { TenantUsage } from '../domain/policy/usage.js';
import { MEETING_EVENT_TYPES } from '../domain/meeting/events.js';
import { parseTenantLabel } from '../domain/tenant/addressing.js';
import { meetingDecider } from '../domain/meeting/decider.js';
import { MEETING_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from '../projections/projection.js';
import { MemoryCheckpointTarget } from '../projections/targets/memoryTarget.js';
import type { LimitRecorder } from './limitRecorder.js';
import { PendingCreates } from './pendingCreates.js';

export interface TenantPolicyGateDeps {
  policyFor(tenant: string, subId: number): ScopePolicy;
  recorder: Pick<LimitRecorder, 'record'>;
  /** How long a create let through counts as in flight without an outcome in the log (the node call's timeout and more). */
  pendingCreateTtlMs: number;
  now(): number;
}

/** Who calls: the tenant, its sub and the meeting scope (`acme-007`). */
export interface CallerScope {
  tenant: string;
  subId: number;
  scope: string;
}

/**
 * The tenant's policy at the BBB front door, in this process: limits against the usage folded from meeting
 * events (plus this process's own joins), then the parameter rules. O(1) per call: no I/O on the way.
 */
export class TenantPolicyGate {
  private readonly usage = new TenantUsage();
  private readonly pending: PendingCreates;
  /** Fed by a projection runner over the meeting streams. */
  readonly target = new MemoryCheckpointTarget<MeetingEvent>((events) => {
    for (const event of events) {
      this.usage.apply(event);
      if (SETTLES_A_CREATE.has(event.type)) this.pending.settle(event.data.scope, event.data.meetingID);
    }
  });

  constructor(private readonly deps: TenantPolicyGateDeps) {
    this.pending = new PendingCreates(deps.pendingCreateTtlMs, deps.now);
  }

  create(caller: CallerScope, meetingID: string, params: Params, correlationId?: string): PolicyVerdict {
    const policy = this.deps.policyFor(caller.tenant, caller.subId);
    if (!policy.limits && policy.create.size === 0) return { kind: 'allowed', params, hit: undefined };
    const key = policy.limits?.counted === 'scope' ? caller.scope : caller.tenant;
    const counted = this.usage.of(key);
    const usage = { meetings: counted.meetings + this.pending.of(key), participants: counted.participants };
    const alreadyRunning = this.usage.isRunning(caller.scope, meetingID) || this.pending.has(caller.scope, meetingID);
    const verdict = createVerdict({ policy, usage, alreadyRunning, params });
    if (verdict.hit) this.deps.recorder.record(caller.tenant, caller.scope, verdict.hit, verdict.kind, correlationId);
    if (verdict.kind === 'allowed' && policy.limits && !alreadyRunning) this.pending.add(caller.tenant, caller.scope, meetingID);
    return verdict;
  }

  /**
   * Each tenant's own limits (sub-id 0) with what it uses now, for /metrics (`tenant_limit`,
   * `tenant_limit_usage_ratio`): `meetings` against running meetings, `attendees` against participants.
   */
  limitReadings(tenants: Iterable<string>): Array<{ tenant: string; limit: 'meetings' | 'attendees'; max: number; used: number }> {
    const readings: Array<{ tenant: string; limit: 'meetings' | 'attendees'; max: number; used: number }> = [];
    for (const tenant of tenants) {
      const limits = this.deps.policyFor(tenant, 0).limits;
      if (!limits) continue;
      const used = this.usage.of(tenant);
      if (limits.meetings !== null) readings.push({ tenant, limit: 'meetings', max: limits.meetings, used: used.meetings });
      if (limits.attendees !== null) readings.push({ tenant, limit: 'attendees', max: limits.attendees, used: used.participants });
    }
    return readings;
  }

  /**
   * An allowed join is counted at once: the next join sees it before any poll or MeetingJoined does.
   * `recordRefusal: false` is the fast path's: it leaves a refusal to Koa, which asks again and records it.
   */
  join(meeting: { tenant: string; scope: string; meetingID: string }, params: Params, correlationId?: string, { recordRefusal = true } = {}): PolicyVerdict {
    const subId = meeting.scope === meeting.tenant ? 0 : (parseTenantLabel(meeting.scope)?.subId ?? 0);
    const policy = this.deps.policyFor(meeting.tenant, subId);
    if (!policy.limits && policy.join.size === 0) return { kind: 'allowed', params, hit: undefined };
    const usage = this.usage.of(policy.limits?.counted === 'scope' ? meeting.scope : meeting.tenant);
    const verdict = joinVerdict({ policy, usage, params });
    if (verdict.hit && (recordRefusal || verdict.kind === 'allowed')) this.deps.recorder.record(meeting.tenant, meeting.scope, verdict.hit, verdict.kind, correlationId);
    if (verdict.kind === 'allowed' && policy.limits) this.usage.countLocalJoin(meeting.scope, meeting.meetingID);
    return verdict;
  }
}

const isMeetingEvent = new Set<string>(MEETING_EVENT_TYPES);

/** The outcomes of a create: from then on the log (or nothing) counts the meeting. */
const SETTLES_A_CREATE = new Set<MeetingEvent['type']>(['MeetingCreated', 'MeetingCreateAbandoned', 'MeetingCreateRefused', 'MeetingEnded']);

/** The meeting events, as they are: the gate folds them with TenantUsage. */
export const tenantUsageProjection: ProjectionDefinition<MeetingEvent> = {
  name: 'tenantUsage',
  filter: { streamPrefixes: [MEETING_STREAM_PREFIX] },
  project: (recorded: RecordedEvent) => (isMeetingEvent.has(recorded.type) ? [meetingDecider.decode(recorded)] : []),
};
