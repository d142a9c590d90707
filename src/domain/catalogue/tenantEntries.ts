import type { TenantEvent } from '../tenant/events.js';
import type { CatalogueEntries } from './fields.js';

export const TENANT_ENTRIES: CatalogueEntries<TenantEvent> = {
  TenantRegistered: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant') }) },
  TenantSecretAdded: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId'), secret: data.string('secret'), subId: data.number('subId') }) },
  TenantSecretRevoked: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId') }) },
  TenantTagsRequired: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), tags: data.strings('tags') }) },
};
