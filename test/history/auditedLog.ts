import { randomUUID } from 'node:crypto';
import { meetingStreamId } from '../../src/domain/streams.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import type { EventStore, JsonValue } from '../../src/eventstore/port.js';
import { newEvent } from '../support/events.js';

export const DAY = '2026-11-20';
export const at = (time: string) => `${DAY}T${time}:00.000Z`;
export const M1 = meetingStreamId('acme', 'physics');
export const M2 = meetingStreamId('acme', 'chemistry');

/**
 * A morning of a small fleet: tenant acme, nodes n1 and n2 available; physics placed on n1 at 10:00 with a
 * join; n1 cordoned by bob at 11:00; chemistry placed on n2 at 11:30; physics ended at 12:00.
 */
export async function writeAuditedMorning(store: EventStore): Promise<void> {
  const put = (stream: string, type: string, data: JsonValue, time: string, actor: string, correlationId: string = randomUUID()) =>
    store.append(stream, [newEvent(type, data, { actor, correlationId, at: at(time), schemaVersion: type === 'NodeRegistered' ? 2 : 1 })], { expectedRevision: 'any' });
  const identity = (meetingID: string) => ({ tenant: 'acme', scope: 'acme', meetingID });
  const placed = (meetingID: string, nodeId: string) => ({ ...identity(meetingID), nodeId, nodeMeetingID: nodeMeetingIdOf('acme', meetingID), params: { name: meetingID, record: 'false' }, body: null });
  const created = (meetingID: string, nodeId: string) => ({
    ...identity(meetingID), nodeId, nodeMeetingID: nodeMeetingIdOf('acme', meetingID), internalMeetingID: `int-${meetingID}`, createTime: 1, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '70001', dialNumber: '', name: meetingID, metadata: { 'bbb-origin': 'Moodle', 'bbb-origin-server-name': 'moodle.example.org' },
  });

  await put('tenant-acme', 'TenantRegistered', { tenant: 'acme' }, '09:00', 'admin:alice', 'req-tenant');
  await put('tenant-acme', 'TenantSecretAdded', { tenant: 'acme', secretId: 's1', secret: 'acme-very-secret', subId: 0 }, '09:00', 'admin:alice', 'req-tenant');
  for (const n of ['n1', 'n2']) {
    await put(`node-${n}`, 'NodeRegistered', { nodeId: n, url: `https://${n}.example.com/bigbluebutton/api/`, secret: 'node-very-secret', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 }, '09:01', 'admin:alice');
    await put(`node-${n}`, 'NodeHealthChanged', { nodeId: n, health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '' }, '09:02', 'saga:nodeHealth');
  }
  await put(M1, 'MeetingPlaced', placed('physics', 'n1'), '10:00', 'tenant:acme', 'req-create-physics');
  await put(M1, 'MeetingCreated', created('physics', 'n1'), '10:00', 'tenant:acme', 'req-create-physics');
  await put(M1, 'MeetingJoined', { ...identity('physics'), role: 'MODERATOR', at: at('10:05') }, '10:05', 'tenant:acme');
  await put('node-n1', 'NodeCordoned', { nodeId: 'n1' }, '11:00', 'admin:bob', 'req-cordon');
  await put(M2, 'MeetingPlaced', placed('chemistry', 'n2'), '11:30', 'tenant:acme', 'req-create-chemistry');
  await put(M2, 'MeetingCreated', created('chemistry', 'n2'), '11:30', 'tenant:acme', 'req-create-chemistry');
  await put(M1, 'MeetingEnded', { ...identity('physics'), nodeId: 'n1', reason: 'api' }, '12:00', 'tenant:acme');
}
