import { createHash } from 'node:crypto';
import type { Decider } from '../decider.js';
import { aggregateEvents } from '../eventCatalogue.js';
import { IllegalStateError } from '../errors.js';

/**
 * One secret belongs to one tenant, across every instance: before a tenant event adds a secret, the secret's
 * reservation stream (`secret-<sha256 of the secret>`) records which tenant holds it, appended with the
 * revision it was read at, so of two instances adding one secret to two tenants at once exactly one wins.
 * A revoke releases it; a reservation whose holder never got the secret (its process died between the two
 * appends) or lost it is taken over once it is older than RESERVATION_GRACE_MS.
 */
export const SECRET_STREAM_PREFIX = 'secret-';

export const secretHashOf = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export const secretStreamId = (secret: string): string => `${SECRET_STREAM_PREFIX}${secretHashOf(secret)}`;

/** Longer than any add in flight (its appends are bounded by EVENTSTORE_TIMEOUT_MS). */
export const RESERVATION_GRACE_MS = 60_000;

export type SecretReserved = { type: 'SecretReserved'; data: { secretHash: string; tenant: string; reservedAt: string } };
export type SecretReleased = { type: 'SecretReleased'; data: { secretHash: string; tenant: string } };
export type SecretReservationEvent = SecretReserved | SecretReleased;
export const SECRET_RESERVATION_EVENT_TYPES: readonly SecretReservationEvent['type'][] = ['SecretReserved', 'SecretReleased'];

/**
 * `staleHolder`: the caller read the holder's tenant stream and found it does not hold the secret; the
 * reservation is then taken over if it is that holder's and older than the grace.
 */
export type ReserveSecret = { type: 'ReserveSecret'; data: { secretHash: string; tenant: string; staleHolder?: string } };
export type ReleaseSecret = { type: 'ReleaseSecret'; data: { secretHash: string; tenant: string } };
export type SecretReservationCommand = ReserveSecret | ReleaseSecret;

export interface SecretReservationState {
  holder: string | undefined;
  reservedAt: string | undefined;
}

/** Another tenant holds the secret (HTTP 409 `SECRET_HELD_BY_ANOTHER_TENANT`); never names the secret. */
export class SecretHeldError extends IllegalStateError {
  constructor(
    readonly holder: string,
    readonly reservedAt: string,
  ) {
    super('another tenant holds this secret');
  }
}

export function decideSecretReservation(command: SecretReservationCommand, state: SecretReservationState, { now }: { now: Date }): SecretReservationEvent[] {
  const { secretHash, tenant } = command.data;
  if (command.type === 'ReleaseSecret') return state.holder === tenant ? [{ type: 'SecretReleased', data: { secretHash, tenant } }] : [];
  if (state.holder === tenant) return [];
  if (state.holder !== undefined) {
    const stale = command.data.staleHolder === state.holder && now.getTime() - Date.parse(state.reservedAt ?? '') >= RESERVATION_GRACE_MS;
    if (!stale) throw new SecretHeldError(state.holder, state.reservedAt ?? '');
  }
  return [{ type: 'SecretReserved', data: { secretHash, tenant, reservedAt: now.toISOString() } }];
}

export function evolveSecretReservation(state: SecretReservationState, event: SecretReservationEvent): SecretReservationState {
  if (event.type === 'SecretReserved') return { holder: event.data.tenant, reservedAt: event.data.reservedAt };
  return state.holder === event.data.tenant ? { holder: undefined, reservedAt: undefined } : state;
}

export const secretReservationDecider: Decider<SecretReservationCommand, SecretReservationEvent, SecretReservationState> = {
  decide: decideSecretReservation,
  evolve: evolveSecretReservation,
  initialState: () => ({ holder: undefined, reservedAt: undefined }),
  decode: aggregateEvents<SecretReservationEvent>('secret reservation', SECRET_RESERVATION_EVENT_TYPES).decode,
};
