import type { LimitKind, LimitMode } from '../policy/limits.js';

/**
 * What limits did, in the stream `limits-<tenant>`: observations appended without reading a stream (like
 * joins), never decided by the tenant aggregate. `subId` names whose limit (0 the tenant's); `count` is what
 * was in use, `max` the limit then.
 */
type LimitNumbers = { tenant: string; subId: number; limit: LimitKind; max: number; count: number };

/**
 * Calls that came while a limit was reached: refused (hard) or let through (soft), `occurrences` of them
 * between `from` and `to` (coalesced per recording window, so a crowd at a full meeting is one event).
 */
export type TenantLimitExceeded = {
  type: 'TenantLimitExceeded';
  data: LimitNumbers & { scope: string; mode: LimitMode; outcome: 'refused' | 'allowed'; occurrences: number; from: string; to: string };
};

/** The limits saga saw usage reach the limit (count ≥ max). */
export type TenantLimitReached = { type: 'TenantLimitReached'; data: LimitNumbers & { at: string } };

/** The limits saga saw usage return below the limit, or the limit raised or lifted (`max` null). */
export type TenantLimitCleared = { type: 'TenantLimitCleared'; data: Omit<LimitNumbers, 'max'> & { max: number | null; at: string } };

export type TenantLimitEvent = TenantLimitExceeded | TenantLimitReached | TenantLimitCleared;

export const TENANT_LIMIT_EVENT_TYPES: readonly TenantLimitEvent['type'][] = ['TenantLimitExceeded', 'TenantLimitReached', 'TenantLimitCleared'];
