import t from 'tap';
import { toNewEvent } from '../../src/commands/decider/handleCommand.js';
import { meetingStreamId } from '../../src/domain/streams.js';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { startAdminProduct } from '../support/adminProduct.js';
import { eventually } from '../support/eventually.js';
import { adminToken, call } from '../support/httpHarness.js';
import { commandContext } from '../support/commandContext.js';

t.test('the limits saga in the product / records the crossing and the return below, with the numbers, from poll events', async (t) => {
  const { base, composed } = await startAdminProduct(t, 'in-process', { POLL_INTERVAL_MS: '60000' });
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: ['acme-secret-0123456789'] } })).status, 201);
  t.equal((await call(base, '/admin/api/v1/tenants/acme/limits', { method: 'PUT', token, body: { meetings: null, attendees: 3, mode: 'soft' } })).status, 200);

  const id = { tenant: 'acme', scope: 'acme', meetingID: 'room' };
  const stream = meetingStreamId('acme', 'room');
  const append = async (event: DomainEvent) => {
    const context = commandContext({ actor: 'test' });
    await composed.store.append(stream, [toNewEvent(event, 0, context)], { expectedRevision: 'any' });
  };
  const polled = (participantCount: number): DomainEvent => ({
    type: 'MeetingParticipantsChanged',
    data: { ...id, nodeId: 'n1', participantCount, moderatorCount: 1, listenerCount: 0, voice: 0, video: 0, running: true, at: new Date().toISOString() },
  });
  const limitEvents = async () => {
    const events: RecordedEvent[] = [];
    try {
      for await (const e of composed.store.readStream('limits-acme')) events.push(e);
    } catch {
      // not there yet
    }
    return events;
  };

  await append({
    type: 'MeetingCreated',
    data: { ...id, nodeId: 'n1', nodeMeetingID: nodeMeetingIdOf('acme', 'room'), internalMeetingID: 'i', createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'Room', metadata: {}, params: {} },
  });
  await append(polled(2));
  await append(polled(4));
  await eventually('the crossing is recorded', async () => (await limitEvents()).length >= 1);
  await append(polled(1));
  await eventually('the return is recorded', async () => (await limitEvents()).length >= 2);
  const events = await limitEvents();
  t.match(events.map((e) => [e.type, e.data, e.metadata.actor]), [
    ['TenantLimitReached', { tenant: 'acme', subId: 0, limit: 'attendees', max: 3, count: 4 }, 'saga:limits'],
    ['TenantLimitCleared', { tenant: 'acme', subId: 0, limit: 'attendees', max: 3, count: 1 }, 'saga:limits'],
  ]);
  t.equal(events.length, 2, 'each crossing once');
});
