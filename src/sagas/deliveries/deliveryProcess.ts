import type { DomainEvent } from '../../domain/eventCatalogue.js';
import { evolveReadyView, initialReadyView, readyRequests, type ReadyView, type RequestReadyEffect } from './recordingReadyRequests.js';

/**
 * The delivery process, pure: which outgoing calls are due. It follows the delivery streams (evolve) and, on
 * every tick, asks for the attempts that are due and the recording-ready callbacks to request (react). Attempts are asked for on ticks only, never on the
 * events themselves, so replaying the log at a start re-asks nothing that was already answered.
 */

export interface PendingDelivery {
  deliveryId: string;
  tenant: string;
  url: string;
  method: 'GET' | 'POST';
  /** A POST's form body and its media type (hook messages). */
  body?: { contentType: string; text: string };
  /** The attempt to make next, 1 = the first. */
  attempt: number;
  /** Epoch ms from which it may be made (0 = at once). */
  dueAt: number;
}

export interface DeliveryProcessState {
  pending: ReadonlyMap<string, PendingDelivery>;
  /** The recording-ready callbacks still to be asked for (mutated in place; it only grows with the log). */
  ready: ReadyView;
}

/** `at`: when the event was stored (epoch ms), where the runtime knows it. */
export type DeliveryInput = { kind: 'event'; event: DomainEvent; at?: number } | { kind: 'tick'; now: number };

/** One attempt to make; `id` (delivery and attempt) is what the runtime performs at most once. */
export interface DeliverEffect {
  kind: 'deliver';
  id: string;
  deliveryId: string;
  url: string;
  method: 'GET' | 'POST';
  body?: { contentType: string; text: string };
  attempt: number;
}

/** Give up on a delivery: its tenant has more than `cap` queued, and it is among the newest. */
export interface ShedEffect {
  kind: 'shed';
  id: string;
  deliveryId: string;
  tenant: string;
  detail: string;
}

export type DeliveryEffect = DeliverEffect | ShedEffect | RequestReadyEffect;

export interface DeliveryLimits {
  /** `DELIVERY_QUEUE_PER_TENANT`: deliveries one tenant may have waiting; the newest beyond it are dead-lettered. */
  queuedPerTenant: number;
}

export const initialDeliveryProcessState = (): DeliveryProcessState => ({ pending: new Map(), ready: initialReadyView() });

export function evolveDeliveries(state: DeliveryProcessState, event: DomainEvent): DeliveryProcessState {
  evolveReadyView(state.ready, event);
  switch (event.type) {
    case 'CallbackDeliveryRequested': {
      const { deliveryId, tenant, url } = event.data;
      const asked = event.data.kind === 'recordingReady' ? { method: event.data.method, body: { text: event.data.body, contentType: event.data.contentType } } : { method: event.data.method };
      return withPending(state, deliveryId, { deliveryId, tenant, url, ...asked, attempt: 1, dueAt: 0 });
    }
    case 'HookDeliveryRequested': {
      const { deliveryId, tenant, url, method, contentType, body } = event.data;
      return withPending(state, deliveryId, { deliveryId, tenant, url, method, body: { contentType, text: body }, attempt: 1, dueAt: 0 });
    }
    case 'CallbackDeliveryAttempted': {
      const current = state.pending.get(event.data.deliveryId);
      if (!current) return state;
      const { nextAttemptAt, attempt } = event.data;
      if (nextAttemptAt === null) return withPending(state, current.deliveryId, undefined);
      return withPending(state, current.deliveryId, { ...current, attempt: attempt + 1, dueAt: Date.parse(nextAttemptAt) });
    }
    case 'CallbackDeliveryDeadLettered':
      return withPending(state, event.data.deliveryId, undefined);
    default:
      return state;
  }
}

/**
 * On a tick: the due attempts, and a shed for every delivery past its tenant's cap (in request order, so the
 * oldest are kept: a receiver that comes back gets the earliest news first). Shed ones are not attempted.
 */
export function reactToDeliveries(state: DeliveryProcessState, input: DeliveryInput, limits: DeliveryLimits): DeliveryEffect[] {
  if (input.kind === 'event') return [];
  const effects: DeliveryEffect[] = [];
  const queued = new Map<string, number>();
  for (const p of state.pending.values()) {
    const position = (queued.get(p.tenant) ?? 0) + 1;
    queued.set(p.tenant, position);
    if (position > limits.queuedPerTenant) {
      const detail = `tenant ${p.tenant} has more than ${limits.queuedPerTenant} deliveries queued (DELIVERY_QUEUE_PER_TENANT)`;
      effects.push({ kind: 'shed', id: `${p.deliveryId}#shed`, deliveryId: p.deliveryId, tenant: p.tenant, detail });
    } else if (p.dueAt <= input.now) {
      effects.push({ kind: 'deliver', id: `${p.deliveryId}#${p.attempt}`, deliveryId: p.deliveryId, url: p.url, method: p.method, ...(p.body ? { body: p.body } : {}), attempt: p.attempt });
    }
  }
  effects.push(...readyRequests(state.ready));
  return effects;
}

function withPending(state: DeliveryProcessState, deliveryId: string, value: PendingDelivery | undefined): DeliveryProcessState {
  const pending = new Map(state.pending);
  if (value) pending.set(deliveryId, value);
  else pending.delete(deliveryId);
  return { pending, ready: state.ready };
}
