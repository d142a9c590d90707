import type { DecideContext } from '../decider.js';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors.js';
import { normaliseTags } from '../node/validation.js';
import { validLimits } from '../policy/limits.js';
import { validRules } from '../policy/parameterRules.js';
import type { AddTenantSecret, RegisterTenant, RequireTenantTags, RevokeTenantSecret, SetTenantLimits, SetTenantParameters, TenantCommand } from './commands.js';
import type { TenantEvent, TenantSecretAdded } from './events.js';
import type { TenantState } from './state.js';
import { decideCreateHook, decideDestroyHook } from './hooks.js';
import { decideRecordingPolicy } from './recordingPolicy.js';
import { decideRemoveAsset, decideSetAsset } from './assets.js';
import { secretIdOf, validSubId, validTenantName, validTenantSecret } from './validation.js';

export function decide(command: TenantCommand, state: TenantState, _context: DecideContext): TenantEvent[] {
  switch (command.type) {
    case 'RegisterTenant':
      return registerTenant(command, state);
    case 'AddTenantSecret':
      return addTenantSecret(command, state);
    case 'RevokeTenantSecret':
      return revokeTenantSecret(command, state);
    case 'RequireTenantTags':
      return requireTenantTags(command, state);
    case 'SetTenantLimits':
      return setTenantLimits(command, state);
    case 'SetTenantParameters':
      return setTenantParameters(command, state);
    case 'CreateHook':
    case 'DestroyHook': {
      if (state.status === 'unregistered') throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
      return command.type === 'CreateHook' ? decideCreateHook(command, state.hooks) : decideDestroyHook(command, state.hooks);
    }
    case 'SetTenantRecordingPolicy':
      return decideRecordingPolicy(command, state.status === 'registered' ? state.recordings : undefined);
    case 'SetTenantAsset':
    case 'RemoveTenantAsset': {
      if (state.status === 'unregistered') throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
      return command.type === 'SetTenantAsset' ? decideSetAsset(command, state.assets) : decideRemoveAsset(command, state.assets);
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown tenant command ${JSON.stringify(unknown)}`);
    }
  }
}

export function registerTenant(command: RegisterTenant, state: TenantState): TenantEvent[] {
  const tenant = validTenantName(command.data.tenant);
  if (command.data.secrets.length === 0) {
    throw new ValidationError('a tenant needs at least one secret to sign its API calls with', 'secrets');
  }
  const added = command.data.secrets.map((secret) => secretAdded(tenant, validTenantSecret(secret), 0));
  const ids = added.map((e) => e.data.secretId);
  if (new Set(ids).size !== ids.length) throw new ValidationError('the same secret is listed twice', 'secrets');
  if (state.status === 'unregistered') return [{ type: 'TenantRegistered', data: { tenant } }, ...added];
  // A retried registration is harmless only while it describes the tenant as it is now.
  const current = state.secrets.map((s) => `${s.subId}:${s.secretId}`).sort();
  const wanted = ids.map((id) => `0:${id}`).sort();
  if (current.length === wanted.length && current.every((k, i) => k === wanted[i])) return [];
  throw new IllegalStateError(`tenant ${tenant} is already registered with different secrets; add or revoke secrets instead`);
}

export function addTenantSecret(command: AddTenantSecret, state: TenantState): TenantEvent[] {
  const { tenant } = command.data;
  if (state.status === 'unregistered') throw new NotFoundError(`tenant ${tenant} is not registered`);
  const added = secretAdded(state.tenant, validTenantSecret(command.data.secret), validSubId(command.data.subId));
  const { secretId, subId } = added.data;
  if (state.revoked.includes(secretId)) {
    throw new IllegalStateError(`secret ${secretId} of tenant ${tenant} was revoked and may have leaked; it cannot be added again, use a new one`);
  }
  const existing = state.secrets.find((s) => s.secretId === secretId);
  if (!existing) return [added];
  if (existing.secret !== added.data.secret) {
    // Two different secrets with the same 48-bit fingerprint: astronomically unlikely, but never merge them.
    throw new IllegalStateError(`another secret of tenant ${tenant} already has the fingerprint ${secretId}; use a different secret`);
  }
  if (existing.subId === subId) return [];
  throw new IllegalStateError(`secret ${secretId} of tenant ${tenant} already signs for sub ${existing.subId}, not ${subId}; use a different secret`);
}

export function revokeTenantSecret(command: RevokeTenantSecret, state: TenantState): TenantEvent[] {
  const { tenant, secretId } = command.data;
  if (state.status === 'unregistered') throw new NotFoundError(`tenant ${tenant} is not registered`);
  if (state.revoked.includes(secretId)) return [];
  const secret = state.secrets.find((s) => s.secretId === secretId);
  if (!secret) throw new NotFoundError(`tenant ${tenant} has no secret ${secretId}`);
  const mainSecretsLeft = state.secrets.filter((s) => s.subId === 0 && s.secretId !== secretId).length;
  if (secret.subId === 0 && mainSecretsLeft === 0) {
    throw new IllegalStateError(
      `secret ${secretId} is the last secret of tenant ${tenant}'s main hostname; revoking it would lock the tenant out. Add a new secret first, then revoke this one`,
    );
  }
  return [{ type: 'TenantSecretRevoked', data: { tenant: state.tenant, secretId } }];
}

export function requireTenantTags(command: RequireTenantTags, state: TenantState): TenantEvent[] {
  const tags = normaliseTags(command.data.tags);
  if (state.status === 'unregistered') throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
  if (tags.length === state.requiredTags.length && tags.every((tag, i) => tag === state.requiredTags[i])) return [];
  return [{ type: 'TenantTagsRequired', data: { tenant: state.tenant, tags } }];
}

export function setTenantLimits(command: SetTenantLimits, state: TenantState): TenantEvent[] {
  const limits = validLimits(command.data.limits);
  const subId = validSubId(command.data.subId);
  if (state.status === 'unregistered') throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
  const current = state.limits[subId];
  if (current && current.meetings === limits.meetings && current.attendees === limits.attendees && current.mode === limits.mode) return [];
  return [{ type: 'TenantLimitsChanged', data: { tenant: state.tenant, subId, ...limits } }];
}

export function setTenantParameters(command: SetTenantParameters, state: TenantState): TenantEvent[] {
  const rules = validRules(command.data.rules);
  const subId = validSubId(command.data.subId);
  if (state.status === 'unregistered') throw new NotFoundError(`tenant ${command.data.tenant} is not registered`);
  if (JSON.stringify(state.parameters[subId] ?? []) === JSON.stringify(rules)) return [];
  return [{ type: 'TenantParametersChanged', data: { tenant: state.tenant, subId, rules } }];
}

function secretAdded(tenant: string, secret: string, subId: number): TenantSecretAdded {
  return { type: 'TenantSecretAdded', data: { tenant, secretId: secretIdOf(secret), secret, subId } };
}
