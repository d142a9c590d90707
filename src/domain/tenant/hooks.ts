import { IllegalStateError, NotFoundError, ValidationError } from '../errors.js';

/**
 * Tenant hooks (bbb-webhooks' API behind the balancer): a subscription of a callback URL to the events of a
 * tenant's meetings. A hook belongs to the scope whose secret created it: a sub-secret's hook sees only that
 * sub's meetings, the main secret's hook every meeting of the tenant.
 */
export type Hook = {
  /** bbb-webhooks numbers hooks 1, 2, 3…; here per tenant, never reused. */
  hookID: number;
  scope: string;
  callbackURL: string;
  /** Only this meeting (the client's meetingID) when set. */
  meetingID: string | null;
  /** Only these event ids (`meeting-created`, …) when set. */
  eventIDs: string[] | null;
};

export type HookCreated = { type: 'HookCreated'; data: { tenant: string } & Hook };
export type HookDestroyed = { type: 'HookDestroyed'; data: { tenant: string; hookID: number; scope: string } };
export type HookEvent = HookCreated | HookDestroyed;
export const HOOK_EVENT_TYPES: readonly HookEvent['type'][] = ['HookCreated', 'HookDestroyed'];

/** `maxHooks` is `HOOKS_PER_TENANT`, passed in so decide stays pure. */
export type CreateHook = {
  type: 'CreateHook';
  data: { tenant: string; scope: string; callbackURL: string; meetingID: string | null; eventIDs: string[] | null; maxHooks: number };
};
export type DestroyHook = { type: 'DestroyHook'; data: { tenant: string; scope: string; hookID: number } };
export type HookCommand = CreateHook | DestroyHook;

export interface HookState {
  hooks: Hook[];
  lastHookID: number;
}

/** The hooks a scope may see and destroy: its own; the tenant's main scope (the tenant name) all. */
export function hooksVisibleTo(hooks: readonly Hook[], tenant: string, scope: string): Hook[] {
  return scope === tenant ? [...hooks] : hooks.filter((h) => h.scope === scope);
}

/** bbb-webhooks refuses a second hook for a callback URL it already has: the same here, within a scope. */
export function duplicateOf(hooks: readonly Hook[], scope: string, callbackURL: string): Hook | undefined {
  return hooks.find((h) => h.scope === scope && h.callbackURL === callbackURL);
}

export function decideCreateHook(command: CreateHook, state: HookState): HookEvent[] {
  const { tenant, scope, meetingID, eventIDs, maxHooks } = command.data;
  const callbackURL = command.data.callbackURL.trim();
  if (callbackURL === '') throw new ValidationError('You must specify a callbackURL in the parameters.', 'callbackURL');
  let parsed: URL;
  try {
    parsed = new URL(callbackURL);
  } catch {
    throw new ValidationError(`callbackURL ${callbackURL} is not an absolute URL; give one like https://example.com/hooks`, 'callbackURL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError('callbackURL must be an http or https URL', 'callbackURL');
  if (duplicateOf(state.hooks, scope, callbackURL)) return [];
  if (state.hooks.length >= maxHooks) {
    throw new IllegalStateError(`tenant ${tenant} already has ${state.hooks.length} hooks, the most allowed (HOOKS_PER_TENANT); destroy one first`);
  }
  const ids = eventIDs === null ? null : [...new Set(eventIDs.map((e) => e.trim()).filter((e) => e !== ''))];
  const hook: Hook = { hookID: state.lastHookID + 1, scope, callbackURL, meetingID: meetingID === '' ? null : meetingID, eventIDs: ids && ids.length > 0 ? ids : null };
  return [{ type: 'HookCreated', data: { tenant, ...hook } }];
}

export function decideDestroyHook(command: DestroyHook, state: HookState): HookEvent[] {
  const { tenant, scope, hookID } = command.data;
  const hook = hooksVisibleTo(state.hooks, tenant, scope).find((h) => h.hookID === hookID);
  if (!hook) throw new NotFoundError('The hook informed was not found.');
  return [{ type: 'HookDestroyed', data: { tenant, hookID, scope: hook.scope } }];
}

export function evolveHooks(state: HookState, event: HookEvent): HookState {
  if (event.type === 'HookCreated') {
    const { tenant: _tenant, ...hook } = event.data;
    return { hooks: [...state.hooks, hook], lastHookID: Math.max(state.lastHookID, hook.hookID) };
  }
  return { ...state, hooks: state.hooks.filter((h) => h.hookID !== event.data.hookID) };
}

export const initialHookState = (): HookState => ({ hooks: [], lastHookID: 0 });
