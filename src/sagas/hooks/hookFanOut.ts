import type { RequestHookDelivery } from '../../domain/delivery/decide.js';
import { meetingCreatedMessage, meetingEndedMessage, signedHookPost, type HookEventID } from '../../domain/delivery/hookMessages.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import { parseTenantLabel } from '../../domain/tenant/addressing.js';
import type { Hook } from '../../domain/tenant/hooks.js';
import type { ActiveSecret } from '../../domain/tenant/state.js';

/**
 * The hook fan-out, pure: which hooks get a message about which meeting event. It follows tenant, meeting and
 * delivery streams in log order, so a meeting event goes to the hooks that existed when it happened. Every
 * message it wants has a delivery id made of the hook and the meeting event's id; a HookDeliveryRequested
 * for that id in the log means it was asked for. While the log is replayed nothing is asked; at catch-up
 * only what is wanted and not yet in the log (a crash between event and request), so a replay asks nothing twice.
 */

type HookRequest = RequestHookDelivery['data'];

interface TenantHooks {
  hooks: Hook[];
  secrets: ActiveSecret[];
}

export interface HookFanOutState {
  tenants: ReadonlyMap<string, TenantHooks>;
  /** internalMeetingID of each running meeting, by `<scope>/<meetingID>`: meeting-ended carries it. */
  internalIds: ReadonlyMap<string, string>;
  /** Messages wanted and not yet requested, by delivery id. */
  wanted: ReadonlyMap<string, HookRequest>;
  live: boolean;
}

/** A stored event with what the fan-out needs of its envelope. */
export type HookFanOutInput = { kind: 'event'; event: DomainEvent; eventId: string; at: string } | { kind: 'caughtUp' };

export interface HookFanOutOptions {
  /** bbb-webhooks' `domain` field: the host clients reach bbb-ledger at. */
  domain: string;
}

export const initialHookFanOutState = (): HookFanOutState => ({ tenants: new Map(), internalIds: new Map(), wanted: new Map(), live: false });

export const hookDeliveryId = (tenant: string, hookID: number, eventId: string): string => `hook-${tenant}-${hookID}-${eventId}`;

export function evolveHookFanOut(state: HookFanOutState, input: HookFanOutInput, options: HookFanOutOptions): HookFanOutState {
  if (input.kind === 'caughtUp') return { ...state, live: true };
  const { event } = input;
  switch (event.type) {
    case 'TenantRegistered':
      return withTenant(state, event.data.tenant, () => ({ hooks: [], secrets: [] }));
    case 'TenantSecretAdded': {
      const { secretId, secret, subId } = event.data;
      return withTenant(state, event.data.tenant, (t) => ({ ...t, secrets: [...t.secrets.filter((s) => s.secretId !== secretId), { secretId, secret, subId }] }));
    }
    case 'TenantSecretRevoked':
      return withTenant(state, event.data.tenant, (t) => ({ ...t, secrets: t.secrets.filter((s) => s.secretId !== event.data.secretId) }));
    case 'HookCreated': {
      const { tenant: _tenant, ...hook } = event.data;
      return withTenant(state, event.data.tenant, (t) => ({ ...t, hooks: [...t.hooks, hook] }));
    }
    case 'HookDestroyed':
      return withTenant(state, event.data.tenant, (t) => ({ ...t, hooks: t.hooks.filter((h) => h.hookID !== event.data.hookID) }));
    case 'HookDeliveryRequested': {
      if (!state.wanted.has(event.data.deliveryId)) return state;
      const wanted = new Map(state.wanted);
      wanted.delete(event.data.deliveryId);
      return { ...state, wanted };
    }
    case 'MeetingMoved': {
      // Failover re-created it on another node: meeting-ended names the new internal id.
      const internalIds = new Map(state.internalIds);
      internalIds.set(`${event.data.scope}/${event.data.meetingID}`, event.data.internalMeetingID);
      return { ...state, internalIds };
    }
    case 'MeetingCreated':
    case 'MeetingEnded': {
      const internalIds = new Map(state.internalIds);
      const key = `${event.data.scope}/${event.data.meetingID}`;
      if (event.type === 'MeetingCreated') internalIds.set(key, event.data.internalMeetingID);
      else internalIds.delete(key);
      const wanted = new Map(state.wanted);
      for (const request of fanOut(state, input, options)) wanted.set(request.deliveryId, request);
      return { ...state, internalIds, wanted };
    }
    default:
      return state;
  }
}

/** After evolve: at catch-up everything still wanted; live, what this event made wanted; replaying, nothing. */
export function reactToHookFanOut(state: HookFanOutState, input: HookFanOutInput): HookRequest[] {
  if (input.kind === 'caughtUp') return [...state.wanted.values()];
  if (!state.live || (input.event.type !== 'MeetingCreated' && input.event.type !== 'MeetingEnded')) return [];
  const prefixOf = (id: string) => id.endsWith(`-${input.eventId}`);
  return [...state.wanted.values()].filter((r) => prefixOf(r.deliveryId));
}

/** The hooks that see `event`: same tenant, the meeting's scope or the tenant's main one, meeting and event filters. */
function fanOut(state: HookFanOutState, input: Extract<HookFanOutInput, { kind: 'event' }>, options: HookFanOutOptions): HookRequest[] {
  const { event } = input;
  if (event.type !== 'MeetingCreated' && event.type !== 'MeetingEnded') return [];
  const { tenant, scope, meetingID } = event.data;
  const entry = state.tenants.get(tenant);
  if (!entry) return [];
  const ts = Date.parse(input.at);
  const eventID: HookEventID = event.type === 'MeetingCreated' ? 'meeting-created' : 'meeting-ended';
  const message =
    event.type === 'MeetingCreated'
      ? meetingCreatedMessage(event.data, ts)
      : meetingEndedMessage(state.internalIds.get(`${scope}/${meetingID}`) ?? '', meetingID, ts);
  const requests: HookRequest[] = [];
  for (const hook of entry.hooks) {
    if (hook.scope !== tenant && hook.scope !== scope) continue;
    if (hook.meetingID !== null && hook.meetingID !== meetingID) continue;
    if (hook.eventIDs !== null && !hook.eventIDs.includes(eventID)) continue;
    const subId = parseTenantLabel(hook.scope)?.subId ?? 0;
    const secret = entry.secrets.find((s) => s.subId === subId);
    // A scope whose every secret was revoked has nobody left to verify the checksum: nothing is sent.
    if (!secret) continue;
    const { url, body } = signedHookPost(hook.callbackURL, secret.secret, options.domain, message, ts);
    const deliveryId = hookDeliveryId(tenant, hook.hookID, input.eventId);
    requests.push({ deliveryId, tenant, scope: hook.scope, hookID: hook.hookID, meetingScope: scope, meetingID, eventID, url, method: 'POST', contentType: 'application/x-www-form-urlencoded', body });
  }
  return requests;
}

function withTenant(state: HookFanOutState, tenant: string, change: (t: TenantHooks) => TenantHooks): HookFanOutState {
  const tenants = new Map(state.tenants);
  tenants.set(tenant, change(tenants.get(tenant) ?? { hooks: [], secrets: [] }));
  return { ...state, tenants };
}
