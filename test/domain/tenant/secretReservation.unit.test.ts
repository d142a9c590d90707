import t from 'tap';
import { decodeEvent } from '../../../src/domain/eventCatalogue.js';
import {
  decideSecretReservation,
  evolveSecretReservation,
  RESERVATION_GRACE_MS,
  SecretHeldError,
  secretHashOf,
  secretReservationDecider,
  secretStreamId,
  type SecretReservationCommand,
  type SecretReservationEvent,
  type SecretReservationState,
} from '../../../src/domain/tenant/secretReservation.js';
import { deciderSpec } from '../../support/deciderSpec.js';
import { storedEvent } from '../../support/events.js';

const spec = deciderSpec<SecretReservationCommand, SecretReservationEvent, SecretReservationState>({
  decide: decideSecretReservation,
  evolve: evolveSecretReservation,
  initialState: secretReservationDecider.initialState,
});

const hash = secretHashOf('a-shared-secret-0001');
const at = '2026-11-23T10:00:00.000Z';
const now = new Date(at);
const later = (ms: number) => new Date(now.getTime() + ms);
const reserve = (tenant: string, staleHolder?: string): SecretReservationCommand => ({ type: 'ReserveSecret', data: { secretHash: hash, tenant, ...(staleHolder ? { staleHolder } : {}) } });
const release = (tenant: string): SecretReservationCommand => ({ type: 'ReleaseSecret', data: { secretHash: hash, tenant } });
const reserved = (tenant: string, when = at): SecretReservationEvent => ({ type: 'SecretReserved', data: { secretHash: hash, tenant, reservedAt: when } });
const released = (tenant: string): SecretReservationEvent => ({ type: 'SecretReleased', data: { secretHash: hash, tenant } });

t.test('the stream / is named by the secret\'s full SHA-256, never the secret', async (t) => {
  t.equal(secretStreamId('a-shared-secret-0001'), `secret-${hash}`);
  t.match(hash, /^[0-9a-f]{64}$/);
});

t.test('given no reservation / when a tenant reserves / then it holds the secret', async () => {
  spec.given([]).when(reserve('acme'), now).then([reserved('acme')]);
});

t.test('given the tenant holds it / when it reserves again / then nothing happens (a retried add)', async () => {
  spec.given([reserved('acme')]).when(reserve('acme'), later(1)).thenNothingHappens();
});

t.test('given another tenant holds it / when a tenant reserves / then SecretHeldError', async () => {
  spec.given([reserved('acme')]).when(reserve('globex'), later(RESERVATION_GRACE_MS * 10)).thenThrows(SecretHeldError, /another tenant holds this secret/);
});

t.test('given it was released / when another tenant reserves / then that tenant holds it', async () => {
  spec.given([reserved('acme'), released('acme')]).when(reserve('globex'), later(5)).then([reserved('globex', later(5).toISOString())]);
});

t.test('given a holder found stale / when the grace has passed / then the reservation is taken over, and not before', async () => {
  spec.given([reserved('acme')]).when(reserve('globex', 'acme'), later(RESERVATION_GRACE_MS)).then([reserved('globex', later(RESERVATION_GRACE_MS).toISOString())]);
  spec.given([reserved('acme')]).when(reserve('globex', 'acme'), later(RESERVATION_GRACE_MS - 1)).thenThrows(SecretHeldError);
  spec.given([reserved('acme')]).when(reserve('globex', 'initech'), later(RESERVATION_GRACE_MS)).thenThrows(SecretHeldError);
});

t.test('when a release comes from the holder / then it is released; from anyone else, or twice / then nothing happens', async () => {
  spec.given([reserved('acme')]).when(release('acme')).then([released('acme')]);
  spec.given([reserved('acme')]).when(release('globex')).thenNothingHappens();
  spec.given([reserved('acme'), released('acme')]).when(release('acme')).thenNothingHappens();
});

t.test('the catalogue / decodes both events', async (t) => {
  t.same(decodeEvent(storedEvent('SecretReserved', reserved('acme').data, { streamId: `secret-${hash}` })), reserved('acme'));
  t.same(decodeEvent(storedEvent('SecretReleased', released('acme').data, { streamId: `secret-${hash}` })), released('acme'));
});
