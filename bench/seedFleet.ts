import { randomUUID } from 'node:crypto';
import { meetingStreamId, nodeStreamId } from '../src/domain/streams.js';
import { schemaVersionOf, type DomainEvent } from '../src/domain/eventCatalogue.js';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import type { EventStore } from '../src/eventstore/port.js';

/**
 * A log as bench/fakeFleetServer.ts expects it: `nodes` nodes registered and available, `meetingsPerNode`
 * running meetings of tenant `bench` on each (`n<node>-m<m>`, internal ID `int-n<node>-m<m>`), so polls find
 * exactly ours. `urlOf(n)` is node n's API URL.
 */
export async function seedFleet(store: Pick<EventStore, 'append'>, nodes: number, meetingsPerNode: number, urlOf: (node: number) => string): Promise<void> {
  const at = new Date().toISOString();
  const append = (streamId: string, events: DomainEvent[]) =>
    store.append(streamId, events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: { actor: 'bench', correlationId: 'bench', causationId: 'bench', at, schemaVersion: schemaVersionOf(e.type) } })), { expectedRevision: 'any' });
  for (let n = 0; n < nodes; n++) {
    const nodeId = `n${n}`;
    await append(nodeStreamId(nodeId), [
      { type: 'NodeRegistered', data: { nodeId, url: urlOf(n), secret: 'bench-secret', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 } },
      { type: 'NodeHealthChanged', data: { nodeId, health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: 'seeded' } },
    ]);
    for (let m = 0; m < meetingsPerNode; m++) {
      const id = { tenant: 'bench', scope: 'bench', meetingID: `n${n}-m${m}` };
      const nodeMeetingID = nodeMeetingIdOf('bench', id.meetingID);
      await append(meetingStreamId('bench', id.meetingID), [
        { type: 'MeetingPlaced', data: { ...id, nodeId, nodeMeetingID, params: { name: 'Room' }, body: null } },
        { type: 'MeetingCreated', data: { ...id, nodeId, nodeMeetingID, internalMeetingID: `int-n${n}-m${m}`, createTime: Date.now(), attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'Room', metadata: {}, params: { name: 'Room' } } },
      ]);
    }
  }
}
