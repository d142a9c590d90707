import { ASSET_EVENT_TYPES, type AssetEvent } from './assets.js';
import { HOOK_EVENT_TYPES, type HookEvent } from './hooks.js';
import type { TenantRecordingPolicyChanged } from './recordingPolicy.js';
import type { ParameterRule } from '../policy/parameterRules.js';
import type { LimitMode } from '../policy/limits.js';

/** What happened to a tenant. Data carries the tenant name so projections never parse stream names. */

export type TenantRegistered = { type: 'TenantRegistered'; data: { tenant: string } };

/**
 * A shared secret clients sign BBB API calls with. `subId` 0 is the tenant's main hostname, 1–999 the
 * `<tenant>-NNN` hostnames (B3LB's sub-secrets, each with its own meeting scope).
 */
export type TenantSecretAdded = {
  type: 'TenantSecretAdded';
  data: { tenant: string; secretId: string; secret: string; subId: number };
};

export type TenantSecretRevoked = { type: 'TenantSecretRevoked'; data: { tenant: string; secretId: string } };

/**
 * The node tags every meeting of the tenant needs (b3scale's `required_tags`): its pool of nodes. The full
 * set each time, sorted; an empty set lets the tenant use every node again.
 */
export type TenantTagsRequired = { type: 'TenantTagsRequired'; data: { tenant: string; tags: string[] } };

/**
 * The limits of the tenant (`subId` 0: counted over all its meetings) or of one sub-secret (counted over that
 * sub's meetings; they replace the tenant's for the sub). null is unlimited.
 */
export type TenantLimitsChanged = {
  type: 'TenantLimitsChanged';
  data: { tenant: string; subId: number; meetings: number | null; attendees: number | null; mode: LimitMode };
};

/** The whole parameter rule set of the tenant (`subId` 0) or of a sub, replacing the previous one. */
export type TenantParametersChanged = { type: 'TenantParametersChanged'; data: { tenant: string; subId: number; rules: ParameterRule[] } };

export type TenantEvent = TenantRegistered | TenantSecretAdded | TenantSecretRevoked | TenantTagsRequired | TenantLimitsChanged | TenantParametersChanged | HookEvent | TenantRecordingPolicyChanged | AssetEvent;

export const TENANT_EVENT_TYPES: readonly TenantEvent['type'][] = [
  'TenantRegistered',
  'TenantSecretAdded',
  'TenantSecretRevoked',
  'TenantTagsRequired',
  'TenantLimitsChanged',
  'TenantParametersChanged',
  ...HOOK_EVENT_TYPES,
  'TenantRecordingPolicyChanged',
  ...ASSET_EVENT_TYPES,
];
