import { compileRules, type CompiledRules } from './applyRules.js';
import type { TenantLimits } from './limits.js';
import type { ParameterRule } from './parameterRules.js';

/** The policies one tenant has set, by sub-id (0 = the tenant's own). */
export interface TenantPolicies {
  limits: ReadonlyMap<number, TenantLimits>;
  parameters: ReadonlyMap<number, readonly ParameterRule[]>;
}

/**
 * What applies to the calls of one scope, compiled once per policy change so a join pays map lookups only.
 * `limits.counted` says whose usage the limits are counted over: the sub's own meetings when the sub has its
 * own limits, else the whole tenant's.
 */
export interface ScopePolicy {
  limits: (TenantLimits & { subId: number; counted: 'tenant' | 'scope' }) | undefined;
  create: CompiledRules;
  join: CompiledRules;
}

export function scopePolicyOf(policies: TenantPolicies, subId: number): ScopePolicy {
  const own = subId === 0 ? undefined : policies.limits.get(subId);
  const tenant = policies.limits.get(0);
  const limits = own ? { ...own, subId, counted: 'scope' as const } : tenant ? { ...tenant, subId: 0, counted: 'tenant' as const } : undefined;
  const layers = subId === 0 ? [policies.parameters.get(0)] : [policies.parameters.get(0), policies.parameters.get(subId)];
  return { limits, create: compileRules('create', ...layers), join: compileRules('join', ...layers) };
}

export const NO_POLICY: ScopePolicy = Object.freeze({ limits: undefined, create: new Map(), join: new Map() });
