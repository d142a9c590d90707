import type { TenantLimits } from '../domain/policy/limits.js';
import type { ParameterRule } from '../domain/policy/parameterRules.js';
import { DEFAULT_RECORDING_POLICY, type RecordingPolicy } from '../domain/tenant/recordingPolicy.js';
import { NO_POLICY, scopePolicyOf, type ScopePolicy } from '../domain/policy/scopePolicy.js';
import type { AssetKind, AssetState, TenantAsset } from '../domain/tenant/assets.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import type { TenantDirectory, TenantDirectoryOp, TenantSecretSummary, TenantSubPolicy, TenantSummary } from './tenantDirectory.js';

interface Entry {
  registeredAt: string;
  /** secretId → where it signs and what it is. */
  secrets: Map<string, { subId: number; secret: string }>;
  requiredTags: string[];
  limits: Map<number, TenantLimits>;
  parameters: Map<number, readonly ParameterRule[]>;
  recordings: RecordingPolicy;
  assets: Map<AssetKind, TenantAsset>;
  /** Every asset the tenant has had, by `<kind>/<hash>`: a few per tenant, kept so handed-out URLs keep working. */
  pastAssets: Map<string, TenantAsset>;
  /** subId → its secrets: asked on every BBB request, rebuilt only when a secret changes. */
  bySubId?: Map<number, readonly string[]>;
  /** subId → its compiled policy: asked on every create and join, rebuilt only when a policy changes. */
  policies?: Map<number, ScopePolicy>;
}

/** The tenant directory in this process; fed by a projection runner through `target`. */
export class InMemoryTenantDirectory implements TenantDirectory {
  private readonly tenants = new Map<string, Entry>();
  readonly target = new MemoryCheckpointTarget<TenantDirectoryOp>((ops) => this.apply(ops));

  secretsFor(tenant: string, subId: number): readonly string[] | undefined {
    const entry = this.tenants.get(tenant);
    if (!entry) return undefined;
    entry.bySubId ??= secretsBySubId(entry.secrets.values());
    return entry.bySubId.get(subId);
  }

  policyFor(tenant: string, subId: number): ScopePolicy {
    const entry = this.tenants.get(tenant);
    if (!entry || (entry.limits.size === 0 && entry.parameters.size === 0)) return NO_POLICY;
    entry.policies ??= new Map();
    let policy = entry.policies.get(subId);
    if (!policy) {
      policy = scopePolicyOf(entry, subId);
      entry.policies.set(subId, policy);
    }
    return policy;
  }

  recordingPolicyOf(tenant: string): RecordingPolicy {
    return this.tenants.get(tenant)?.recordings ?? DEFAULT_RECORDING_POLICY;
  }

  assetOf(tenant: string, kind: AssetKind): TenantAsset | undefined {
    return this.tenants.get(tenant)?.assets.get(kind);
  }

  pastAssetOf(tenant: string, kind: AssetKind, hash: string): TenantAsset | undefined {
    return this.tenants.get(tenant)?.pastAssets.get(`${kind}/${hash}`);
  }

  list(): TenantSummary[] {
    return [...this.tenants.keys()].sort().map((name) => this.summary(name, this.tenants.get(name)!));
  }

  get(name: string): TenantSummary | undefined {
    const entry = this.tenants.get(name);
    return entry && this.summary(name, entry);
  }

  apply(ops: TenantDirectoryOp[]): void {
    for (const op of ops) {
      if (op.op === 'registerTenant') {
        if (!this.tenants.has(op.tenant)) this.tenants.set(op.tenant, { registeredAt: op.registeredAt, secrets: new Map(), requiredTags: [], limits: new Map(), parameters: new Map(), recordings: DEFAULT_RECORDING_POLICY, assets: new Map(), pastAssets: new Map() });
        continue;
      }
      // A secret op for a tenant never registered cannot come from the tenant aggregate; like the node list, ignore it.
      const entry = this.tenants.get(op.tenant);
      if (!entry) continue;
      delete entry.bySubId;
      delete entry.policies;
      if (op.op === 'putSecret') entry.secrets.set(op.secretId, { subId: op.subId, secret: op.secret });
      else if (op.op === 'removeSecret') entry.secrets.delete(op.secretId);
      else if (op.op === 'setLimits') entry.limits.set(op.subId, { ...op.limits });
      else if (op.op === 'setRecordingPolicy') entry.recordings = Object.freeze({ ...op.policy });
      else if (op.op === 'setParameters') entry.parameters.set(op.subId, op.rules.map((r) => ({ ...r })));
      else if (op.op === 'setAsset') {
        entry.assets.set(op.kind, { ...op.asset });
        entry.pastAssets.set(`${op.kind}/${op.asset.hash}`, { ...op.asset });
      } else if (op.op === 'removeAsset') entry.assets.delete(op.kind);
      else entry.requiredTags = [...op.tags];
    }
  }

  private summary(name: string, entry: Entry): TenantSummary {
    const secrets: TenantSecretSummary[] = [...entry.secrets].map(([secretId, { subId }]) => ({ secretId, subId }));
    secrets.sort((a, b) => a.subId - b.subId || (a.secretId < b.secretId ? -1 : a.secretId > b.secretId ? 1 : 0));
    const subIds = [...new Set([...entry.limits.keys(), ...entry.parameters.keys()])].filter((id) => id !== 0).sort((a, b) => a - b);
    const subs: TenantSubPolicy[] = subIds.map((subId) => subPolicy(entry, subId));
    const own = subPolicy(entry, 0);
    return { name, registeredAt: entry.registeredAt, secrets, requiredTags: [...entry.requiredTags], limits: own.limits, parameters: own.parameters, subs, recordings: { ...entry.recordings }, assets: assetsOf(entry) };
  }
}

function assetsOf(entry: Entry): AssetState {
  const assets: AssetState = {};
  for (const [kind, asset] of entry.assets) assets[kind] = { ...asset };
  return assets;
}

function subPolicy(entry: Entry, subId: number): TenantSubPolicy {
  const limits = entry.limits.get(subId);
  return { subId, limits: limits ? { ...limits } : null, parameters: (entry.parameters.get(subId) ?? []).map((r) => ({ ...r })) };
}

function secretsBySubId(secrets: Iterable<{ subId: number; secret: string }>): Map<number, readonly string[]> {
  const bySubId = new Map<number, string[]>();
  for (const { subId, secret } of secrets) {
    const list = bySubId.get(subId);
    if (list) list.push(secret);
    else bySubId.set(subId, [secret]);
  }
  for (const list of bySubId.values()) Object.freeze(list);
  return bySubId;
}
