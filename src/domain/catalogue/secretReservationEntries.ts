import type { SecretReservationEvent } from '../tenant/secretReservation.js';
import type { CatalogueEntries } from './fields.js';

export const SECRET_RESERVATION_ENTRIES: CatalogueEntries<SecretReservationEvent> = {
  SecretReserved: { schemaVersion: 1, parse: (data) => ({ secretHash: data.string('secretHash'), tenant: data.string('tenant'), reservedAt: data.string('reservedAt') }) },
  SecretReleased: { schemaVersion: 1, parse: (data) => ({ secretHash: data.string('secretHash'), tenant: data.string('tenant') }) },
};
