import { IllegalStateError, ValidationError } from '../errors.js';
import type { AttemptOutcome, CallbackDeliveryRequested, DeliveryEvent, HookDeliveryRequested } from './events.js';

/** Ask once for a delivery; a second ask of the same delivery id is a replay and refused. */
export type RequestCallbackDelivery = { type: 'RequestCallbackDelivery'; data: CallbackDeliveryRequested['data'] };

/** Ask once for a hook message; the id derives from the hook and the meeting event, so a replay is refused. */
export type RequestHookDelivery = { type: 'RequestHookDelivery'; data: HookDeliveryRequested['data'] };

/**
 * Record how attempt `attempt` ended. `nextAttemptAt` null after a failure = no more attempts (dead letter).
 * Recording the same attempt twice (a process that lost its lease mid-way) records it once.
 */
export type RecordDeliveryAttempt = {
  type: 'RecordDeliveryAttempt';
  data: { deliveryId: string; attempt: number; outcome: AttemptOutcome; status: number | null; detail: string; nextAttemptAt: string | null };
};

/** Give up on a delivery without another attempt (its tenant's queue is over the cap): the dead letter says why. */
export type DeadLetterDelivery = { type: 'DeadLetterDelivery'; data: { deliveryId: string; detail: string } };

export type DeliveryCommand = RequestCallbackDelivery | RequestHookDelivery | RecordDeliveryAttempt | DeadLetterDelivery;

export type DeliveryState =
  | { status: 'none' }
  | { status: 'pending'; deliveryId: string; attempts: number }
  | { status: 'done'; deliveryId: string; attempts: number };

export const initialDeliveryState = (): DeliveryState => ({ status: 'none' });

export function evolveDelivery(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  switch (event.type) {
    case 'CallbackDeliveryRequested':
    case 'HookDeliveryRequested':
      return { status: 'pending', deliveryId: event.data.deliveryId, attempts: 0 };
    case 'CallbackDeliveryAttempted': {
      if (state.status === 'none') return state;
      const finished = event.data.outcome !== 'failed' || event.data.nextAttemptAt === null;
      return { status: finished ? 'done' : 'pending', deliveryId: state.deliveryId, attempts: event.data.attempt };
    }
    case 'CallbackDeliveryDeadLettered':
      return state.status === 'none' ? state : { ...state, status: 'done' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideDelivery(command: DeliveryCommand, state: DeliveryState, _context: { now: Date }): DeliveryEvent[] {
  switch (command.type) {
    case 'RequestCallbackDelivery': {
      if (state.status !== 'none') throw new IllegalStateError(`delivery ${command.data.deliveryId} was already requested`);
      if (command.data.kind !== 'recordingReady' && (!Number.isSafeInteger(command.data.incarnation) || command.data.incarnation < 1)) throw new ValidationError('incarnation must be a positive integer', 'incarnation');
      return [{ type: 'CallbackDeliveryRequested', data: { ...command.data } }];
    }
    case 'RequestHookDelivery': {
      if (state.status !== 'none') throw new IllegalStateError(`delivery ${command.data.deliveryId} was already requested`);
      return [{ type: 'HookDeliveryRequested', data: { ...command.data } }];
    }
    case 'RecordDeliveryAttempt': {
      const { deliveryId, attempt, outcome, status, detail, nextAttemptAt } = command.data;
      if (state.status === 'none') throw new IllegalStateError(`delivery ${deliveryId} was never requested`);
      // Already recorded, or the delivery is over: a late or repeated report changes nothing.
      if (attempt <= state.attempts || state.status === 'done') return [];
      if (attempt !== state.attempts + 1) throw new ValidationError(`attempt ${attempt} follows attempt ${state.attempts}`, 'attempt');
      const next = outcome === 'failed' ? nextAttemptAt : null;
      const attempted: DeliveryEvent = { type: 'CallbackDeliveryAttempted', data: { deliveryId, attempt, outcome, status, detail, nextAttemptAt: next } };
      if (outcome === 'delivered' || outcome === 'gone' || next !== null) return [attempted];
      return [attempted, { type: 'CallbackDeliveryDeadLettered', data: { deliveryId, attempts: attempt, detail } }];
    }
    case 'DeadLetterDelivery': {
      const { deliveryId, detail } = command.data;
      if (state.status === 'none') throw new IllegalStateError(`delivery ${deliveryId} was never requested`);
      if (state.status === 'done') return [];
      return [{ type: 'CallbackDeliveryDeadLettered', data: { deliveryId, attempts: state.attempts, detail } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown delivery command ${JSON.stringify(unknown)}`);
    }
  }
}
