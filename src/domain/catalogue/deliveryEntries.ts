import type { DeliveryEvent, EndCallbackKind, AttemptOutcome } from '../delivery/events.js';
import type { CatalogueEntries } from './fields.js';

const END_KINDS: readonly EndCallbackKind[] = ['endCallbackUrl', 'meetingEndedURL'];
const KINDS = [...END_KINDS, 'recordingReady'] as const;
const OUTCOMES: readonly AttemptOutcome[] = ['delivered', 'gone', 'refused', 'failed'];

export const DELIVERY_ENTRIES: CatalogueEntries<DeliveryEvent> = {
  CallbackDeliveryRequested: {
    schemaVersion: 1,
    // Events before the recording-ready kind are all end callbacks (GET, with an incarnation).
    parse: (data) => {
      const common = { deliveryId: data.string('deliveryId'), tenant: data.string('tenant'), scope: data.string('scope'), meetingID: data.string('meetingID'), url: data.string('url') };
      if (data.oneOf('kind', KINDS) === 'recordingReady') {
        return { ...common, kind: 'recordingReady' as const, recordId: data.string('recordId'), method: data.oneOf('method', ['POST'] as const), body: data.string('body'), contentType: data.string('contentType') };
      }
      return {
        ...common,
        incarnation: data.number('incarnation'),
        kind: data.oneOf('kind', END_KINDS),
        originalUrl: data.string('originalUrl'),
        method: data.oneOf('method', ['GET'] as const),
      };
    },
  },
  HookDeliveryRequested: {
    schemaVersion: 1,
    parse: (data) => ({
      deliveryId: data.string('deliveryId'),
      tenant: data.string('tenant'),
      scope: data.string('scope'),
      hookID: data.count('hookID'),
      meetingScope: data.string('meetingScope'),
      meetingID: data.string('meetingID'),
      eventID: data.string('eventID'),
      url: data.string('url'),
      method: data.oneOf('method', ['POST'] as const),
      contentType: data.oneOf('contentType', ['application/x-www-form-urlencoded'] as const),
      body: data.string('body'),
    }),
  },
  CallbackDeliveryAttempted: {
    schemaVersion: 1,
    parse: (data) => ({
      deliveryId: data.string('deliveryId'),
      attempt: data.number('attempt'),
      outcome: data.oneOf('outcome', OUTCOMES),
      status: data.nullableNumber('status'),
      detail: data.string('detail'),
      nextAttemptAt: data.nullableString('nextAttemptAt'),
    }),
  },
  CallbackDeliveryDeadLettered: {
    schemaVersion: 1,
    parse: (data) => ({ deliveryId: data.string('deliveryId'), attempts: data.number('attempts'), detail: data.string('detail') }),
  },
};
