import type { DomainEvent } from '../eventCatalogue.js';
import { tenantScope } from '../tenant/addressing.js';
import type { TenantLimitCleared, TenantLimitReached } from '../tenant/limitEvents.js';
import { LIMIT_KINDS, reached, type LimitKind, type TenantLimits } from './limits.js';
import { TenantUsage } from './usage.js';

/** What the limits saga asks for: one crossing to record, with an id derived from the crossing's place in history. */
export interface LimitEffect {
  /** `<tenant>/<subId>/<limit>/<n>`: the n-th crossing of that limit, so sending it twice appends it once. */
  id: string;
  tenant: string;
  event: TenantLimitReached | TenantLimitCleared;
}

interface Recorded {
  reached: boolean;
  /** Crossings recorded so far (Reached and Cleared alike). */
  crossings: number;
}

/**
 * The limits saga's state and reaction, pure: usage folded from meeting events, limits from tenant events,
 * and the crossings already recorded (its own events, so a restarted saga records nothing twice). `evolve`
 * marks the tenants whose numbers moved; `react` (on a tick, after a burst of events) compares each of their
 * limits with what was last recorded and asks for the crossings, with the numbers.
 */
export class LimitWatch {
  private readonly usage = new TenantUsage();
  private readonly limits = new Map<string, Map<number, TenantLimits>>();
  private readonly recorded = new Map<string, Recorded>();
  /** Crossings asked for and not yet seen in the log: key → reached. */
  private readonly pending = new Map<string, boolean>();
  private readonly dirty = new Set<string>();

  evolve(event: DomainEvent): void {
    switch (event.type) {
      case 'MeetingCreated':
      case 'MeetingMoved':
      case 'MeetingJoined':
      case 'MeetingParticipantsChanged':
      case 'MeetingEnded':
      case 'MeetingCreateAbandoned':
        this.usage.apply(event);
        this.dirty.add(event.data.tenant);
        return;
      case 'TenantLimitsChanged': {
        const { tenant, subId, meetings, attendees, mode } = event.data;
        const ofTenant = this.limits.get(tenant) ?? new Map<number, TenantLimits>();
        ofTenant.set(subId, { meetings, attendees, mode });
        this.limits.set(tenant, ofTenant);
        this.dirty.add(tenant);
        return;
      }
      case 'TenantLimitReached':
      case 'TenantLimitCleared': {
        const key = keyOf(event.data.tenant, event.data.subId, event.data.limit);
        const reachedNow = event.type === 'TenantLimitReached';
        const before = this.recorded.get(key);
        this.recorded.set(key, { reached: reachedNow, crossings: (before?.crossings ?? 0) + 1 });
        if (this.pending.get(key) === reachedNow) this.pending.delete(key);
        return;
      }
      default:
        return;
    }
  }

  /** The crossings since the last tick, for the tenants whose numbers moved; `at` is the tick's time. */
  react(at: string): LimitEffect[] {
    const effects: LimitEffect[] = [];
    for (const tenant of this.dirty) {
      for (const [subId, limits] of this.limits.get(tenant) ?? []) {
        const usage = this.usage.of(tenantScope(tenant, subId));
        for (const limit of LIMIT_KINDS) {
          const key = keyOf(tenant, subId, limit);
          const count = limit === 'meetings' ? usage.meetings : usage.participants;
          const max = limits[limit];
          const now = reached(count, max);
          const recorded = this.recorded.get(key);
          const last = this.pending.get(key) ?? recorded?.reached ?? false;
          if (now === last) continue;
          this.pending.set(key, now);
          const n = (recorded?.crossings ?? 0) + 1;
          const data = { tenant, subId, limit, count, at };
          const event: LimitEffect['event'] = now && max !== null ? { type: 'TenantLimitReached', data: { ...data, max } } : { type: 'TenantLimitCleared', data: { ...data, max } };
          effects.push({ id: `${key}/${n}`, tenant, event });
        }
      }
    }
    this.dirty.clear();
    return effects;
  }
}

const keyOf = (tenant: string, subId: number, limit: LimitKind): string => `${tenant}/${subId}/${limit}`;

