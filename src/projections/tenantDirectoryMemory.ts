import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import type { TenantDirectory, TenantDirectoryOp, TenantSecretSummary, TenantSummary } from './tenantDirectory.js';

interface Entry {
  registeredAt: string;
  /** secretId → where it signs and what it is. */
  secrets: Map<string, { subId: number; secret: string }>;
  requiredTags: string[];
  /** subId → its secrets: asked on every BBB request, rebuilt only when a secret changes. */
  bySubId?: Map<number, readonly string[]>;
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
        if (!this.tenants.has(op.tenant)) this.tenants.set(op.tenant, { registeredAt: op.registeredAt, secrets: new Map(), requiredTags: [] });
        continue;
      }
      // A secret op for a tenant never registered cannot come from the tenant aggregate; like the node list, ignore it.
      const entry = this.tenants.get(op.tenant);
      if (!entry) continue;
      delete entry.bySubId;
      if (op.op === 'putSecret') entry.secrets.set(op.secretId, { subId: op.subId, secret: op.secret });
      else if (op.op === 'removeSecret') entry.secrets.delete(op.secretId);
      else entry.requiredTags = [...op.tags];
    }
  }

  private summary(name: string, entry: Entry): TenantSummary {
    const secrets: TenantSecretSummary[] = [...entry.secrets].map(([secretId, { subId }]) => ({ secretId, subId }));
    secrets.sort((a, b) => a.subId - b.subId || (a.secretId < b.secretId ? -1 : a.secretId > b.secretId ? 1 : 0));
    return { name, registeredAt: entry.registeredAt, secrets, requiredTags: [...entry.requiredTags] };
  }
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
