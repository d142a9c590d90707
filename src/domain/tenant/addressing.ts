import { isTenantName } from './validation.js';

/** Which tenant a BBB API request addresses, and with which of its secret sets. */
export interface TenantAddress {
  tenant: string;
  subId: number;
  /**
   * The meeting-isolation key: `acme` for sub 0, `acme-007` for sub 7. Like B3LB, meeting IDs are unique per
   * secret set, so two subs may both run a meeting called "room1". Sub 0 is the tenant's own view: its
   * getMeetings will list the meetings of every sub (B3LB's behaviour), the others only their own.
   */
  scope: string;
}

const WITH_SUB = /^(.+)-(\d{3})$/;

export function tenantScope(tenant: string, subId: number): string {
  return subId === 0 ? tenant : `${tenant}-${String(subId).padStart(3, '0')}`;
}

/**
 * `acme` → sub 0, `acme-007` → sub 7 (`acme-000` is sub 0 too, as in B3LB). Case-insensitive, because it
 * comes from a hostname. Only the shape is checked: whether the tenant exists is the directory's business.
 */
export function parseTenantLabel(label: string): TenantAddress | undefined {
  const lower = label.toLowerCase();
  const sub = WITH_SUB.exec(lower);
  const tenant = sub ? sub[1]! : lower;
  const subId = sub ? Number(sub[2]) : 0;
  if (!isTenantName(tenant)) return undefined;
  return { tenant, subId, scope: tenantScope(tenant, subId) };
}
