import { tenantDecider } from '../domain/tenant/decider.js';
import { TENANT_STREAM_PREFIX } from '../domain/streams.js';
import type { TenantLimits } from '../domain/policy/limits.js';
import type { ParameterRule } from '../domain/policy/parameterRules.js';
import type { ScopePolicy } from '../domain/policy/scopePolicy.js';
import type { RecordingPolicy } from '../domain/tenant/recordingPolicy.js';
import type { AssetKind, AssetState, TenantAsset } from '../domain/tenant/assets.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/** One secret as the admin API shows it: its fingerprint and hostname, never the secret itself. */
export interface TenantSecretSummary {
  secretId: string;
  subId: number;
}

export interface TenantSummary {
  name: string;
  /** ISO-8601, from the registering event's metadata. */
  registeredAt: string;
  /** Ordered by sub-id, then fingerprint. */
  secrets: TenantSecretSummary[];
  /** Node tags every meeting of the tenant needs; sorted. */
  requiredTags: string[];
  /** The tenant's own limits, counted over all its meetings; null when none were set (unlimited). */
  limits: TenantLimits | null;
  /** The tenant's parameter rules (every sub's calls go through them too). */
  parameters: ParameterRule[];
  /** Subs with limits or rules of their own, by sub-id: their limits replace the tenant's, their rules add to them. */
  subs: TenantSubPolicy[];
  /** Retention and protected links of the tenant's recordings (`PUT …/recordings`). */
  recordings: RecordingPolicy;
  /** The branding in force, by kind (logo, slide, css). */
  assets: AssetState;
}

export interface TenantSubPolicy {
  subId: number;
  limits: TenantLimits | null;
  parameters: ParameterRule[];
}

/** Set-like operations, so applying one twice leaves the same model. */
export type TenantDirectoryOp =
  | { op: 'registerTenant'; tenant: string; registeredAt: string }
  | { op: 'putSecret'; tenant: string; secretId: string; subId: number; secret: string }
  | { op: 'removeSecret'; tenant: string; secretId: string }
  | { op: 'setRequiredTags'; tenant: string; tags: string[] }
  | { op: 'setLimits'; tenant: string; subId: number; limits: TenantLimits }
  | { op: 'setParameters'; tenant: string; subId: number; rules: ParameterRule[] }
  | { op: 'setRecordingPolicy'; tenant: string; policy: RecordingPolicy }
  | { op: 'setAsset'; tenant: string; kind: AssetKind; asset: TenantAsset }
  | { op: 'removeAsset'; tenant: string; kind: AssetKind };

/**
 * tenant → sub-id → active secrets, which every LB instance keeps in its own memory: it is tiny, the BBB
 * front door reads it on every request, and it is rebuilt from the log at start.
 */
export interface TenantDirectory {
  /** The active secrets of one hostname; undefined when the tenant or the sub-id is unknown or has none left. */
  secretsFor(tenant: string, subId: number): readonly string[] | undefined;
  /** Ordered by name. */
  list(): TenantSummary[];
  get(name: string): TenantSummary | undefined;
  /** Limits and compiled rules for the calls of one scope; in-process, so a join pays no round trip. */
  policyFor(tenant: string, subId: number): ScopePolicy;
  /** The tenant's recording policy (the default for an unknown tenant); read on every playback request. */
  recordingPolicyOf(tenant: string): RecordingPolicy;
  /** The tenant's asset of that kind in force; undefined when it has none (or the tenant is unknown). */
  assetOf(tenant: string, kind: AssetKind): TenantAsset | undefined;
  /**
   * An asset of that kind the tenant has ever had under this hash: a running meeting keeps the logo it was
   * created with, so a URL handed out before a change or removal still answers.
   */
  pastAssetOf(tenant: string, kind: AssetKind, hash: string): TenantAsset | undefined;
}

export function projectTenantDirectory(recorded: RecordedEvent): TenantDirectoryOp[] {
  // Narrowed to tenant events (a non-tenant event throws), so the switch stays exhaustive as the catalogue grows.
  const event = tenantDecider.decode(recorded);
  switch (event.type) {
    case 'TenantRegistered':
      return [{ op: 'registerTenant', tenant: event.data.tenant, registeredAt: recorded.metadata.at }];
    case 'TenantSecretAdded': {
      const { tenant, secretId, subId, secret } = event.data;
      return [{ op: 'putSecret', tenant, secretId, subId, secret }];
    }
    case 'TenantSecretRevoked':
      return [{ op: 'removeSecret', tenant: event.data.tenant, secretId: event.data.secretId }];
    case 'TenantTagsRequired':
      return [{ op: 'setRequiredTags', tenant: event.data.tenant, tags: [...event.data.tags] }];
    case 'TenantLimitsChanged': {
      const { tenant, subId, meetings, attendees, mode } = event.data;
      return [{ op: 'setLimits', tenant, subId, limits: { meetings, attendees, mode } }];
    }
    case 'TenantParametersChanged':
      return [{ op: 'setParameters', tenant: event.data.tenant, subId: event.data.subId, rules: event.data.rules.map((r) => ({ ...r })) }];
    case 'TenantAssetSet': {
      const { tenant, kind, hash, size, mime } = event.data;
      return [{ op: 'setAsset', tenant, kind, asset: { hash, size, mime } }];
    }
    case 'TenantAssetRemoved':
      return [{ op: 'removeAsset', tenant: event.data.tenant, kind: event.data.kind }];
    // Hooks are answered from the tenant's stream, never from this read model.
    case 'HookCreated':
    case 'HookDestroyed':
      return [];
    case 'TenantRecordingPolicyChanged': {
      const { tenant, retentionDays, protected: isProtected } = event.data;
      return [{ op: 'setRecordingPolicy', tenant, policy: { retentionDays, protected: isProtected } }];
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const tenantDirectoryProjection: ProjectionDefinition<TenantDirectoryOp> = {
  name: 'tenantDirectory',
  filter: { streamPrefixes: [TENANT_STREAM_PREFIX] },
  project: projectTenantDirectory,
};
