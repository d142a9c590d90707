import type { AssetCommand } from './assets.js';
import type { HookCommand } from './hooks.js';
import type { SetTenantRecordingPolicy } from './recordingPolicy.js';

/** What an operator asks of a tenant. Ids come in the data; time comes with the call to decide. */

/** The secrets are for the main hostname (sub 0); at least one, so the tenant can sign calls at once. */
export type RegisterTenant = { type: 'RegisterTenant'; data: { tenant: string; secrets: string[] } };

export type AddTenantSecret = { type: 'AddTenantSecret'; data: { tenant: string; secret: string; subId: number } };

/** By fingerprint, so an operator never has to echo the secret to revoke it. */
export type RevokeTenantSecret = { type: 'RevokeTenantSecret'; data: { tenant: string; secretId: string } };

/** Replaces the tenant's required node tags (the whole set, so a retry is harmless). */
export type RequireTenantTags = { type: 'RequireTenantTags'; data: { tenant: string; tags: string[] } };

/** The limits of the tenant (`subId` 0) or of one sub, as the operator sent them (validated by decide). */
export type SetTenantLimits = { type: 'SetTenantLimits'; data: { tenant: string; subId: number; limits: unknown } };

/** The whole rule set of the tenant (`subId` 0) or of one sub, as the operator sent it: `{"rules":[…]}`. */
export type SetTenantParameters = { type: 'SetTenantParameters'; data: { tenant: string; subId: number; rules: unknown } };

export type TenantCommand = RegisterTenant | AddTenantSecret | RevokeTenantSecret | RequireTenantTags | SetTenantLimits | SetTenantParameters | HookCommand | SetTenantRecordingPolicy | AssetCommand;
