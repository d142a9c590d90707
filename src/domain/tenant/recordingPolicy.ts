import { NotFoundError, ValidationError } from '../errors.js';

/**
 * How a tenant's recordings are kept and handed out: `retentionDays` after its start a recording expires
 * (B3LB's `records_hold_time`; null keeps it for good), and `protected` makes every playback and file URL
 * getRecordings hands out signed and expiring (Scalelite's protected recordings).
 */
export type RecordingPolicy = {
  retentionDays: number | null;
  protected: boolean;
};

export const DEFAULT_RECORDING_POLICY: RecordingPolicy = Object.freeze({ retentionDays: null, protected: false });

/** Longest retention accepted: 100 years, far beyond any rule, small enough for exact date arithmetic. */
export const MAX_RETENTION_DAYS = 36_500;

/** The tenant's whole recording policy after the change (a field the operator left out keeps its value). */
export type TenantRecordingPolicyChanged = { type: 'TenantRecordingPolicyChanged'; data: { tenant: string } & RecordingPolicy };

/** `PUT /admin/api/v1/tenants/:name/recordings`, the body as sent: `{"retentionDays": n|null, "protected": bool}`. */
export type SetTenantRecordingPolicy = { type: 'SetTenantRecordingPolicy'; data: { tenant: string; policy: unknown } };

/** A field left out keeps its current value; at least one must be there. Every bad field is named. */
export function validRecordingPolicy(body: unknown, current: RecordingPolicy): RecordingPolicy {
  const example = '{"retentionDays": 30, "protected": true} (retentionDays null = keep for good)';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError(`the body must be a JSON object: ${example}`);
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => k !== 'retentionDays' && k !== 'protected');
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}; allowed are retentionDays, protected`, unknown[0]);
  if (!('retentionDays' in record) && !('protected' in record)) throw new ValidationError(`give retentionDays, protected or both: ${example}`, 'retentionDays');
  const days = 'retentionDays' in record ? record.retentionDays : current.retentionDays;
  if (days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS)) {
    throw new ValidationError(`retentionDays must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep recordings for good; got ${JSON.stringify(days)}`, 'retentionDays');
  }
  const isProtected = 'protected' in record ? record.protected : current.protected;
  if (typeof isProtected !== 'boolean') throw new ValidationError(`protected must be true or false; got ${JSON.stringify(isProtected)}`, 'protected');
  return { retentionDays: days, protected: isProtected };
}

export function decideRecordingPolicy(command: SetTenantRecordingPolicy, current: RecordingPolicy | undefined): TenantRecordingPolicyChanged[] {
  if (current === undefined) throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
  const policy = validRecordingPolicy(command.data.policy, current);
  if (policy.retentionDays === current.retentionDays && policy.protected === current.protected) return [];
  return [{ type: 'TenantRecordingPolicyChanged', data: { tenant: command.data.tenant, ...policy } }];
}

/** When a recording that started at `startTime` (epoch ms) expires under `retentionDays`; null: never. */
export function expiresAt(startTime: number, retentionDays: number | null): number | null {
  return retentionDays === null ? null : startTime + retentionDays * 86_400_000;
}
