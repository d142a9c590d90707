import type { TenantEvent } from '../tenant/events.js';
import { LIMIT_MODES } from '../policy/limits.js';
import type { ParameterRule } from '../policy/parameterRules.js';
import { ASSET_KINDS } from '../tenant/assets.js';
import type { CatalogueEntries, Fields } from './fields.js';

const RULE_CALLS = ['create', 'join'] as const;
const VALUED_MODES = ['set', 'override', 'max', 'append'] as const;

function ruleOf(rule: Fields): ParameterRule {
  const call = rule.oneOf('call', RULE_CALLS);
  const param = rule.string('param');
  const mode = rule.oneOf('mode', ['block', ...VALUED_MODES] as const);
  return mode === 'block' ? { call, param, mode } : { call, param, mode, value: rule.string('value') };
}

export const TENANT_ENTRIES: CatalogueEntries<TenantEvent> = {
  TenantRegistered: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant') }) },
  TenantSecretAdded: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId'), secret: data.string('secret'), subId: data.number('subId') }) },
  TenantSecretRevoked: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId') }) },
  TenantTagsRequired: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), tags: data.strings('tags') }) },
  TenantLimitsChanged: {
    schemaVersion: 1,
    parse: (data) => ({
      tenant: data.string('tenant'),
      subId: data.count('subId'),
      meetings: data.nullableCount('meetings'),
      attendees: data.nullableCount('attendees'),
      mode: data.oneOf('mode', LIMIT_MODES),
    }),
  },
  TenantParametersChanged: {
    schemaVersion: 1,
    parse: (data) => ({ tenant: data.string('tenant'), subId: data.count('subId'), rules: data.objects('rules').map(ruleOf) }),
  },
  HookCreated: {
    schemaVersion: 1,
    parse: (data) => ({
      tenant: data.string('tenant'),
      hookID: data.count('hookID'),
      scope: data.string('scope'),
      callbackURL: data.string('callbackURL'),
      meetingID: data.nullableString('meetingID'),
      eventIDs: data.nullableStrings('eventIDs'),
    }),
  },
  TenantRecordingPolicyChanged: {
    schemaVersion: 1,
    parse: (data) => ({ tenant: data.string('tenant'), retentionDays: data.nullableCount('retentionDays'), protected: data.boolean('protected') }),
  },
  HookDestroyed: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), hookID: data.count('hookID'), scope: data.string('scope') }) },
  TenantAssetSet: {
    schemaVersion: 1,
    parse: (data) => ({ tenant: data.string('tenant'), kind: data.oneOf('kind', ASSET_KINDS), hash: data.string('hash'), size: data.count('size'), mime: data.string('mime') }),
  },
  TenantAssetRemoved: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), kind: data.oneOf('kind', ASSET_KINDS), hash: data.string('hash') }) },
};
