import { evolveAssets, type AssetState } from './assets.js';
import { evolveHooks, initialHookState, type HookState } from './hooks.js';
import type { TenantLimits } from '../policy/limits.js';
import type { ParameterRule } from '../policy/parameterRules.js';
import type { TenantEvent } from './events.js';
import { DEFAULT_RECORDING_POLICY, type RecordingPolicy } from './recordingPolicy.js';

export interface ActiveSecret {
  secretId: string;
  secret: string;
  subId: number;
}

export type TenantState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      tenant: string;
      /** In the order they were added. */
      secrets: ActiveSecret[];
      /** Fingerprints of revoked secrets: a revoked secret may have leaked, so it is never accepted again. */
      revoked: string[];
      /** Node tags every meeting of the tenant needs; sorted. */
      requiredTags: string[];
      /** By sub-id (0 = the tenant's own); a sub without an entry falls under the tenant's. */
      limits: Record<number, TenantLimits>;
      /** By sub-id (0 = the tenant's own); a sub's rule for a parameter replaces the tenant's. */
      parameters: Record<number, ParameterRule[]>;
      hooks: HookState;
      recordings: RecordingPolicy;
      /** The branding (logo, slide, css) in force. */
      assets: AssetState;
    };

export const initialState = (): TenantState => ({ status: 'unregistered' });

export function evolve(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantRegistered':
      return { status: 'registered', tenant: event.data.tenant, secrets: [], revoked: [], requiredTags: [], limits: {}, parameters: {}, hooks: initialHookState(), recordings: { ...DEFAULT_RECORDING_POLICY }, assets: {} };
    case 'TenantSecretAdded': {
      // A secret event before registration cannot come from decide; ignoring it keeps replay total.
      if (state.status !== 'registered') return state;
      const { secretId, secret, subId } = event.data;
      const others = state.secrets.filter((s) => s.secretId !== secretId);
      return { ...state, secrets: [...others, { secretId, secret, subId }] };
    }
    case 'TenantSecretRevoked': {
      if (state.status !== 'registered') return state;
      const { secretId } = event.data;
      const revoked = state.revoked.includes(secretId) ? state.revoked : [...state.revoked, secretId];
      return { ...state, secrets: state.secrets.filter((s) => s.secretId !== secretId), revoked };
    }
    case 'TenantTagsRequired':
      return state.status === 'registered' ? { ...state, requiredTags: [...event.data.tags] } : state;
    case 'TenantLimitsChanged': {
      if (state.status !== 'registered') return state;
      const { subId, meetings, attendees, mode } = event.data;
      return { ...state, limits: { ...state.limits, [subId]: { meetings, attendees, mode } } };
    }
    case 'TenantParametersChanged':
      if (state.status !== 'registered') return state;
      return { ...state, parameters: { ...state.parameters, [event.data.subId]: event.data.rules.map((r) => ({ ...r })) } };
    case 'HookCreated':
    case 'HookDestroyed':
      return state.status === 'registered' ? { ...state, hooks: evolveHooks(state.hooks, event) } : state;
    case 'TenantRecordingPolicyChanged':
      return state.status === 'registered' ? { ...state, recordings: { retentionDays: event.data.retentionDays, protected: event.data.protected } } : state;
    case 'TenantAssetSet':
    case 'TenantAssetRemoved':
      return state.status === 'registered' ? { ...state, assets: evolveAssets(state.assets, event) } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
