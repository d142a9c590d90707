import type { RequestHookDelivery } from '../../domain/delivery/decide.js';
import { meetingCreatedMessage, meetingEndedMessage, rapPublishEndedMessage, signedHookPost, userSeatMessage, type HookMessage } from '../../domain/delivery/hookMessages.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import { parseTenantLabel } from '../../domain/tenant/addressing.js';
import type { Hook } from '../../domain/tenant/hooks.js';
import type { ActiveSecret } from '../../domain/tenant/state.js';
import { emptySeats, everyoneLeft, joined, polled, type MeetingSeats, type SeatChange } from './hookSeats.js';

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
  /**
   * internalMeetingID of each running meeting, by `<scope>/<meetingID>`: meeting-ended carries it. Changed in
   * place like `seats`: copying it on every create and end made a burst of creates O(meetings²).
   */
  internalIds: Map<string, string>;
  /**
   * Seats announced per running meeting (user-joined/user-left), by `<scope>/<meetingID>`. Changed in place: the
   * state is the process's own, and copying a map of every meeting on each poll would cost O(meetings) per event.
   */
  seats: Map<string, MeetingSeats>;
  /** Messages wanted and not yet requested, by delivery id. */
  wanted: ReadonlyMap<string, HookRequest>;
  live: boolean;
}

/** A stored event with what the fan-out needs of its envelope. */
export type HookFanOutInput = { kind: 'event'; event: DomainEvent; eventId: string; at: string } | { kind: 'caughtUp' };

export interface HookFanOutOptions {
  /** bbb-webhooks' `domain` field: the host clients reach bbb-ledger at. */
  domain: string;
  /** `PUBLIC_URL`: rap-publish-ended's playback link; absent = no link. */
  publicUrl?: string;
}

export const initialHookFanOutState = (): HookFanOutState => ({ tenants: new Map(), internalIds: new Map(), seats: new Map(), wanted: new Map(), live: false });

/** The meeting events that become hook messages. */
const ANNOUNCED = new Set<DomainEvent['type']>(['MeetingCreated', 'MeetingEnded', 'MeetingJoined', 'MeetingParticipantsChanged', 'RecordingImported']);

/** One message about a stored event, `suffix` telling apart the several one event may bring (one per seat). */
interface Announcement {
  message: HookMessage;
  suffix: string;
}

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
      state.internalIds.set(`${event.data.scope}/${event.data.meetingID}`, event.data.internalMeetingID);
      return state;
    }
    case 'MeetingCreated':
    case 'MeetingEnded':
    case 'MeetingJoined':
    case 'MeetingParticipantsChanged':
    case 'RecordingImported': {
      const key = `${event.data.scope}/${event.data.meetingID}`;
      // Seats first (what the event announces), then the running meetings' ids.
      const announcements = announce(state, input, options, key);
      if (event.type === 'MeetingCreated') state.internalIds.set(key, event.data.internalMeetingID);
      else if (event.type === 'MeetingEnded') state.internalIds.delete(key);
      const requests = fanOut(state, input, options, announcements);
      if (requests.length === 0) return state;
      const wanted = new Map(state.wanted);
      for (const request of requests) wanted.set(request.deliveryId, request);
      return { ...state, wanted };
    }
    default:
      return state;
  }
}

/** After evolve: at catch-up everything still wanted; live, what this event made wanted; replaying, nothing. */
export function reactToHookFanOut(state: HookFanOutState, input: HookFanOutInput): HookRequest[] {
  if (input.kind === 'caughtUp') return [...state.wanted.values()];
  if (!state.live || !ANNOUNCED.has(input.event.type)) return [];
  const { eventId } = input;
  const fromThisEvent = (id: string) => id.endsWith(`-${eventId}`) || id.includes(`-${eventId}-`);
  return [...state.wanted.values()].filter((r) => fromThisEvent(r.deliveryId));
}

/**
 * What a stored event tells hooks: meeting-created; user-joined/user-left per seat that changed; the seats still
 * announced leaving, then meeting-ended; rap-publish-ended per imported format. Seats change in place.
 */
function announce(state: HookFanOutState, input: Extract<HookFanOutInput, { kind: 'event' }>, options: HookFanOutOptions, key: string): Announcement[] {
  const { event } = input;
  const ts = Date.parse(input.at);
  const internalId = state.internalIds.get(key) ?? '';
  // Seats are counted for every meeting (a hook created later needs them right); messages only for tenants with hooks.
  const hooked = (state.tenants.get((event.data as { tenant: string }).tenant)?.hooks.length ?? 0) > 0;
  const seatsOf = (change: SeatChange, i: number, meetingID: string, internal: string): Announcement => ({
    message: userSeatMessage(change.id, internal, meetingID, change.role, change.seat, ts),
    suffix: `u${i + 1}`,
  });
  switch (event.type) {
    case 'MeetingCreated':
      // A repeated create of a running meeting keeps its seats.
      if (!state.seats.has(key)) state.seats.set(key, emptySeats());
      return [{ message: meetingCreatedMessage(event.data, ts), suffix: '' }];
    case 'MeetingJoined': {
      const seats = state.seats.get(key);
      if (!seats) return [];
      const changes = [...joined(seats, 'MODERATOR', event.data.moderators), ...joined(seats, 'VIEWER', event.data.viewers)];
      return !hooked ? [] : changes.map((c, i) => seatsOf(c, i, event.data.meetingID, internalId));
    }
    case 'MeetingParticipantsChanged': {
      const seats = state.seats.get(key);
      if (!seats) return [];
      const { moderatorCount, participantCount } = event.data;
      const changes = [...polled(seats, 'MODERATOR', moderatorCount), ...polled(seats, 'VIEWER', Math.max(0, participantCount - moderatorCount))];
      return !hooked ? [] : changes.map((c, i) => seatsOf(c, i, event.data.meetingID, internalId));
    }
    case 'MeetingEnded': {
      const seats = state.seats.get(key);
      state.seats.delete(key);
      const left = seats ? everyoneLeft(seats).map((c, i) => seatsOf(c, i, event.data.meetingID, internalId)) : [];
      return [...left, { message: meetingEndedMessage(internalId, event.data.meetingID, ts), suffix: '' }];
    }
    case 'RecordingImported':
      return [{ message: rapPublishEndedMessage(event.data, ts, options.publicUrl), suffix: '' }];
    default:
      return [];
  }
}

/** Each announcement to every hook that sees it: same tenant, the meeting's scope or the tenant's main one, meeting and event filters. */
function fanOut(state: HookFanOutState, input: Extract<HookFanOutInput, { kind: 'event' }>, options: HookFanOutOptions, announcements: readonly Announcement[]): HookRequest[] {
  if (announcements.length === 0) return [];
  const { tenant, scope, meetingID } = input.event.data as { tenant: string; scope: string; meetingID: string };
  const entry = state.tenants.get(tenant);
  if (!entry) return [];
  const ts = Date.parse(input.at);
  const requests: HookRequest[] = [];
  for (const hook of entry.hooks) {
    if (hook.scope !== tenant && hook.scope !== scope) continue;
    if (hook.meetingID !== null && hook.meetingID !== meetingID) continue;
    const subId = parseTenantLabel(hook.scope)?.subId ?? 0;
    const secret = entry.secrets.find((s) => s.subId === subId);
    // A scope whose every secret was revoked has nobody left to verify the checksum: nothing is sent.
    if (!secret) continue;
    for (const { message, suffix } of announcements) {
      const eventID = message.data.id;
      if (hook.eventIDs !== null && !hook.eventIDs.includes(eventID)) continue;
      const { url, body } = signedHookPost(hook.callbackURL, secret.secret, options.domain, message, ts);
      const deliveryId = `${hookDeliveryId(tenant, hook.hookID, input.eventId)}${suffix === '' ? '' : `-${suffix}`}`;
      requests.push({ deliveryId, tenant, scope: hook.scope, hookID: hook.hookID, meetingScope: scope, meetingID, eventID, url, method: 'POST', contentType: 'application/x-www-form-urlencoded', body });
    }
  }
  return requests;
}

function withTenant(state: HookFanOutState, tenant: string, change: (t: TenantHooks) => TenantHooks): HookFanOutState {
  const tenants = new Map(state.tenants);
  tenants.set(tenant, change(tenants.get(tenant) ?? { hooks: [], secrets: [] }));
  return { ...state, tenants };
}
