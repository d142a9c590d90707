import type { DomainEvent } from '../../domain/eventCatalogue.js';

/**
 * The delivery process, pure: which outgoing calls are due. It follows the delivery streams (evolve) and, on
 * every tick, asks for the attempts that are due (react). Attempts are asked for on ticks only, never on the
 * events themselves, so replaying the log at a start re-asks nothing that was already answered.
 */

export interface PendingDelivery {
  deliveryId: string;
  url: string;
  method: 'GET' | 'POST';
  /** The attempt to make next, 1 = the first. */
  attempt: number;
  /** Epoch ms from which it may be made (0 = at once). */
  dueAt: number;
}

export interface DeliveryProcessState {
  pending: ReadonlyMap<string, PendingDelivery>;
}

export type DeliveryInput = { kind: 'event'; event: DomainEvent } | { kind: 'tick'; now: number };

/** One attempt to make; `id` (delivery and attempt) is what the runtime performs at most once. */
export interface DeliverEffect {
  kind: 'deliver';
  id: string;
  deliveryId: string;
  url: string;
  method: 'GET' | 'POST';
  attempt: number;
}

export const initialDeliveryProcessState = (): DeliveryProcessState => ({ pending: new Map() });

export function evolveDeliveries(state: DeliveryProcessState, event: DomainEvent): DeliveryProcessState {
  switch (event.type) {
    case 'CallbackDeliveryRequested': {
      const { deliveryId, url, method } = event.data;
      return withPending(state, deliveryId, { deliveryId, url, method, attempt: 1, dueAt: 0 });
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

export function reactToDeliveries(state: DeliveryProcessState, input: DeliveryInput): DeliverEffect[] {
  if (input.kind === 'event') return [];
  const effects: DeliverEffect[] = [];
  for (const p of state.pending.values()) {
    if (p.dueAt <= input.now) effects.push({ kind: 'deliver', id: `${p.deliveryId}#${p.attempt}`, deliveryId: p.deliveryId, url: p.url, method: p.method, attempt: p.attempt });
  }
  return effects;
}

function withPending(state: DeliveryProcessState, deliveryId: string, value: PendingDelivery | undefined): DeliveryProcessState {
  const pending = new Map(state.pending);
  if (value) pending.set(deliveryId, value);
  else pending.delete(deliveryId);
  return { pending };
}
