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

export type TenantEvent = TenantRegistered | TenantSecretAdded | TenantSecretRevoked;
