import t from 'tap';
import type { RecordDeliveryAttempt } from '../../../src/domain/delivery/decide.js';
import { deliveryDecider } from '../../../src/domain/delivery/decider.js';
import type { CallbackDeliveryRequested, DeliveryEvent } from '../../../src/domain/delivery/events.js';
import { IllegalStateError, ValidationError } from '../../../src/domain/errors.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec(deliveryDecider);
const request: CallbackDeliveryRequested['data'] = {
  deliveryId: 'end-acme-abc-1-endCallbackUrl',
  tenant: 'acme',
  scope: 'acme',
  meetingID: 'room',
  incarnation: 1,
  kind: 'endCallbackUrl',
  originalUrl: 'https://lms.example/ended',
  url: 'https://lms.example/ended?recordingmarks=false&meetingID=room',
  method: 'GET',
};
const requested: DeliveryEvent = { type: 'CallbackDeliveryRequested', data: request };
const attempt = (n: number, outcome: RecordDeliveryAttempt['data']['outcome'], nextAttemptAt: string | null): RecordDeliveryAttempt => ({
  type: 'RecordDeliveryAttempt',
  data: { deliveryId: request.deliveryId, attempt: n, outcome, status: outcome === 'delivered' ? 200 : 503, detail: 'd', nextAttemptAt },
});
const attempted = (command: RecordDeliveryAttempt): DeliveryEvent => ({ type: 'CallbackDeliveryAttempted', data: { ...command.data } });

t.test('when a delivery is requested for the first time / it is recorded', async () => {
  spec.given([]).when({ type: 'RequestCallbackDelivery', data: request }).then([requested]);
});

t.test('when the same delivery is requested again (a replayed callback URL) / it is refused', async () => {
  spec.given([requested]).when({ type: 'RequestCallbackDelivery', data: request }).thenThrows(IllegalStateError, /already requested/);
});

t.test('when an incarnation is not a positive integer / the request is invalid', async () => {
  spec.given([]).when({ type: 'RequestCallbackDelivery', data: { ...request, incarnation: 0 } }).thenThrows(ValidationError);
});

t.test('when an attempt fails with a next attempt due / only the attempt is recorded', async () => {
  const failed = attempt(1, 'failed', '2026-11-23T10:00:05.000Z');
  spec.given([requested]).when(failed).then([attempted(failed)]);
});

t.test('when the last attempt fails / the delivery is dead-lettered', async () => {
  const first = attempt(1, 'failed', '2026-11-23T10:00:05.000Z');
  const last = attempt(2, 'failed', null);
  spec.given([requested, attempted(first)]).when(last).then([attempted(last), { type: 'CallbackDeliveryDeadLettered', data: { deliveryId: request.deliveryId, attempts: 2, detail: 'd' } }]);
});

t.test('when the URL is refused / the delivery is dead-lettered at once, whatever next time was given', async () => {
  const refused = attempt(1, 'refused', '2026-11-23T10:00:05.000Z');
  spec.given([requested]).when(refused).then([{ ...attempted(refused), data: { ...refused.data, nextAttemptAt: null } } as DeliveryEvent, { type: 'CallbackDeliveryDeadLettered', data: { deliveryId: request.deliveryId, attempts: 1, detail: 'd' } }]);
});

t.test('when an attempt is delivered or the receiver is gone / the delivery is over without a dead letter', async () => {
  spec.given([requested]).when(attempt(1, 'delivered', null)).then([attempted(attempt(1, 'delivered', null))]);
  spec.given([requested]).when(attempt(1, 'gone', null)).then([attempted(attempt(1, 'gone', null))]);
});

t.test('when an attempt is recorded twice, or after the delivery is over / nothing happens', async () => {
  const first = attempt(1, 'failed', '2026-11-23T10:00:05.000Z');
  spec.given([requested, attempted(first)]).when(first).thenNothingHappens();
  spec.given([requested, attempted(attempt(1, 'delivered', null))]).when(attempt(2, 'failed', null)).thenNothingHappens();
});

t.test('when an attempt skips a number, or the delivery was never requested / it is refused', async () => {
  spec.given([requested]).when(attempt(3, 'failed', null)).thenThrows(ValidationError);
  spec.given([]).when(attempt(1, 'failed', null)).thenThrows(IllegalStateError);
});

t.test('when a pending delivery is dead-lettered for its queue / the dead letter names the attempts so far and why', async () => {
  const first = attempt(1, 'failed', '2026-11-23T10:00:05.000Z');
  spec.given([requested, attempted(first)]).when({ type: 'DeadLetterDelivery', data: { deliveryId: request.deliveryId, detail: 'queue full' } }).then([
    { type: 'CallbackDeliveryDeadLettered', data: { deliveryId: request.deliveryId, attempts: 1, detail: 'queue full' } },
  ]);
  spec.given([requested, attempted(attempt(1, 'delivered', null))]).when({ type: 'DeadLetterDelivery', data: { deliveryId: request.deliveryId, detail: 'x' } }).thenNothingHappens();
  spec.given([]).when({ type: 'DeadLetterDelivery', data: { deliveryId: request.deliveryId, detail: 'x' } }).thenThrows(IllegalStateError);
});

const ready: CallbackDeliveryRequested['data'] = {
  deliveryId: 'ready-int-1',
  tenant: 'acme',
  scope: 'acme',
  meetingID: 'room',
  kind: 'recordingReady',
  recordId: 'int-1',
  url: 'https://lms.example/ready',
  method: 'POST',
  body: 'signed_parameters=x.y.z',
  contentType: 'application/x-www-form-urlencoded',
};

t.test('when a recording-ready delivery is requested / it is recorded without an incarnation; asked again / refused', async () => {
  spec.given([]).when({ type: 'RequestCallbackDelivery', data: ready }).then([{ type: 'CallbackDeliveryRequested', data: ready }]);
  spec.given([{ type: 'CallbackDeliveryRequested', data: ready }]).when({ type: 'RequestCallbackDelivery', data: ready }).thenThrows(IllegalStateError);
});
