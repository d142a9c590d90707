import { ValidationError } from '../errors.js';

export type LimitMode = 'hard' | 'soft';
export const LIMIT_MODES: readonly LimitMode[] = ['hard', 'soft'];

/** What a tenant (sub 0) or one sub-secret may use at once; null is unlimited. */
export interface TenantLimits {
  meetings: number | null;
  attendees: number | null;
  /** hard: refuse what would go past a limit; soft: allow it and record a TenantLimitExceeded. */
  mode: LimitMode;
}

export type LimitKind = 'meetings' | 'attendees';
export const LIMIT_KINDS: readonly LimitKind[] = ['meetings', 'attendees'];

/** Largest limit accepted: far beyond any fleet, small enough to stay an exact JSON number. */
export const MAX_LIMIT = 1_000_000_000;

/** `{"meetings": n|null, "attendees": n|null, "mode": "hard"|"soft"}`; every field named in the error. */
export function validLimits(body: unknown): TenantLimits {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object: {"meetings": 10, "attendees": 200, "mode": "hard"} (null = unlimited)');
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !['meetings', 'attendees', 'mode'].includes(k));
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}; allowed are meetings, attendees, mode`, unknown[0]);
  const mode = record.mode ?? 'hard';
  if (typeof mode !== 'string' || !(LIMIT_MODES as readonly string[]).includes(mode)) {
    throw new ValidationError(`mode must be "hard" or "soft", got ${JSON.stringify(record.mode)}`, 'mode');
  }
  return { meetings: limitValue(record, 'meetings'), attendees: limitValue(record, 'attendees'), mode: mode as LimitMode };
}

function limitValue(record: Record<string, unknown>, key: LimitKind): number | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_LIMIT) {
    throw new ValidationError(`${key} must be a whole number from 0 to ${MAX_LIMIT}, or null for unlimited; got ${JSON.stringify(value)}`, key);
  }
  return value;
}

export const UNLIMITED: TenantLimits = Object.freeze({ meetings: null, attendees: null, mode: 'hard' });

export const isUnlimited = (limits: TenantLimits): boolean => limits.meetings === null && limits.attendees === null;

/** Is `count` at or past `max`? Then one more would go beyond it. */
export const reached = (count: number, max: number | null): boolean => max !== null && count >= max;
