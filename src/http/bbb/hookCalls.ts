import { handleTenantCommand, loadTenant } from '../../commands/decider/tenantCommands.js';
import { successResponse } from '../../domain/bbb/responses.js';
import { IllegalStateError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { hooksVisibleTo, type Hook } from '../../domain/tenant/hooks.js';
import { replyError, replyXml, type BbbError } from './bbbReply.js';
import type { MeetingCall } from './meetingCalls.js';

/** bbb-webhooks' answers (its responses module), keys exact; messages say what to do. */
export const HOOK_ERRORS = {
  missingCallbackURL: { key: 'missingParamCallbackURL', message: 'You must specify a callbackURL in the parameters.' },
  missingHookID: { key: 'missingParamHookID', message: 'You must specify a hookID in the parameters.' },
  missingHook: { key: 'destroyMissingHook', message: 'The hook informed was not found.' },
} as const satisfies Record<string, BbbError>;

type HookCallName = 'hooks/create' | 'hooks/list' | 'hooks/destroy';

/**
 * bbb-webhooks' API for the tenant's own meetings. Hooks are tenant events: hooks/list reads the tenant's
 * stream, so a lost read model never loses a hook. A sub-secret sees and destroys only its own hooks.
 */
export async function hookCall(call: MeetingCall, name: HookCallName): Promise<void> {
  switch (name) {
    case 'hooks/create':
      return createHook(call);
    case 'hooks/list':
      return listHooks(call);
    case 'hooks/destroy':
      return destroyHook(call);
    default: {
      const unknown: never = name;
      return unknown;
    }
  }
}

async function createHook(call: MeetingCall): Promise<void> {
  const { ctx, request } = call;
  const callbackURL = request.params.get('callbackURL')?.trim();
  if (!callbackURL) return replyError(ctx, HOOK_ERRORS.missingCallbackURL);
  const eventID = request.params.get('eventID');
  const data = {
    tenant: request.tenant,
    scope: request.scope,
    callbackURL,
    meetingID: request.params.get('meetingID') || null,
    eventIDs: eventID ? eventID.split(',').map((e) => e.trim().toLowerCase()) : null,
    maxHooks: call.deps.hooksPerTenant,
  };
  try {
    const result = await handleTenantCommand(call.deps.store, { type: 'CreateHook', data }, call.commandContext());
    const made = result.events[0];
    if (made?.type === 'HookCreated') return replyXml(ctx, successResponse({ hookID: String(made.data.hookID), permanentHook: 'false', rawData: 'false' }));
    const state = result.state;
    const existing = state.status === 'registered' ? state.hooks.hooks.find((h) => h.scope === request.scope && h.callbackURL === callbackURL) : undefined;
    return replyXml(ctx, successResponse({ hookID: String(existing?.hookID ?? ''), messageKey: 'duplicateWarning', message: 'There is already a hook for this callback URL.' }));
  } catch (error) {
    if (!(error instanceof ValidationError || error instanceof IllegalStateError || error instanceof NotFoundError)) throw error;
    return replyError(ctx, { key: 'createHookError', message: error.message });
  }
}

async function listHooks(call: MeetingCall): Promise<void> {
  const { ctx, request } = call;
  const state = await loadTenant(call.deps.store, request.tenant);
  const all = state.status === 'registered' ? hooksVisibleTo(state.hooks.hooks, request.tenant, request.scope) : [];
  const meetingID = request.params.get('meetingID');
  // bbb-webhooks: with a meetingID, that meeting's hooks and the global ones.
  const hooks = meetingID ? all.filter((h) => h.meetingID === null || h.meetingID === meetingID) : all;
  return replyXml(ctx, successResponse({ hooks: hooks.length === 0 ? '' : { hook: hooks.map(hookXml) } }));
}

function hookXml(hook: Hook): Record<string, string> {
  return {
    hookID: String(hook.hookID),
    callbackURL: hook.callbackURL,
    ...(hook.meetingID === null ? {} : { meetingID: hook.meetingID }),
    ...(hook.eventIDs === null ? {} : { eventID: hook.eventIDs.join(',') }),
    permanentHook: 'false',
    rawData: 'false',
  };
}

async function destroyHook(call: MeetingCall): Promise<void> {
  const { ctx, request } = call;
  const given = request.params.get('hookID')?.trim();
  if (!given) return replyError(ctx, HOOK_ERRORS.missingHookID);
  const hookID = /^\d{1,15}$/.test(given) ? Number(given) : NaN;
  if (!Number.isSafeInteger(hookID)) return replyError(ctx, HOOK_ERRORS.missingHook);
  try {
    await handleTenantCommand(call.deps.store, { type: 'DestroyHook', data: { tenant: request.tenant, scope: request.scope, hookID } }, call.commandContext());
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return replyError(ctx, HOOK_ERRORS.missingHook);
  }
  return replyXml(ctx, successResponse({ removed: 'true' }));
}
