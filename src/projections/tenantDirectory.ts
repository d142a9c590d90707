import { tenantDecider } from '../commands/tenantCommands.js';
import { TENANT_STREAM_PREFIX } from '../commands/streams.js';
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
}

/** Set-like operations, so applying one twice leaves the same model. */
export type TenantDirectoryOp =
  | { op: 'registerTenant'; tenant: string; registeredAt: string }
  | { op: 'putSecret'; tenant: string; secretId: string; subId: number; secret: string }
  | { op: 'removeSecret'; tenant: string; secretId: string }
  | { op: 'setRequiredTags'; tenant: string; tags: string[] };

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
