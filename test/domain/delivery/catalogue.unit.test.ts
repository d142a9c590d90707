import t from 'tap';
import { decodeEvent, EventDecodeError, type DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { storedEvent } from '../../support/events.js';

const stored = (event: { type: string; data: unknown }) => storedEvent(event.type, JSON.parse(JSON.stringify(event.data)), { schemaVersion: 1 });
const end: DomainEvent = {
  type: 'CallbackDeliveryRequested',
  data: { deliveryId: 'end-x-1-endCallbackUrl', tenant: 'acme', scope: 'acme', meetingID: 'room', incarnation: 1, kind: 'endCallbackUrl', originalUrl: 'https://l/', url: 'https://l/?m', method: 'GET' },
};
const ready: DomainEvent = {
  type: 'CallbackDeliveryRequested',
  data: { deliveryId: 'ready-r', tenant: 'acme', scope: 'acme', meetingID: 'room', kind: 'recordingReady', recordId: 'r', url: 'https://l/ready', method: 'POST', body: 'signed_parameters=a.b.c', contentType: 'application/x-www-form-urlencoded' },
};

t.test('an end-callback request (as stored before the recording-ready kind) and a recording-ready one / decode back to themselves', async (t) => {
  t.same(decodeEvent(stored(end)), end);
  t.same(decodeEvent(stored(ready)), ready);
});

t.test('a recording-ready request without its body, or a GET one / does not decode', async (t) => {
  const { body: _body, ...withoutBody } = ready.data as Record<string, unknown>;
  t.throws(() => decodeEvent(stored({ type: 'CallbackDeliveryRequested', data: withoutBody })), EventDecodeError);
  t.throws(() => decodeEvent(stored({ type: 'CallbackDeliveryRequested', data: { ...ready.data, method: 'GET' } })), EventDecodeError);
});
