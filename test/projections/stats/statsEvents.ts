import { isDomainEventType, schemaVersionOf } from '../../../src/domain/eventCatalogue.js';
import type { JsonValue, Position, RecordedEvent } from '../../../src/eventstore/port.js';

/** Hand-made stored events in global order, with well-formed metadata, for projection tests. */
export class EventLog {
  private count = 0;
  readonly events: RecordedEvent[] = [];

  add(streamId: string, type: string, data: JsonValue, at: string, schemaVersion?: number): RecordedEvent {
    this.count += 1;
    const event: RecordedEvent = {
      id: `00000000-0000-4000-8000-${String(this.count).padStart(12, '0')}`,
      type,
      data,
      metadata: {
        actor: 'admin:test',
        correlationId: `corr-${this.count}`,
        causationId: `cause-${this.count}`,
        at,
        schemaVersion: schemaVersion ?? (isDomainEventType(type) ? schemaVersionOf(type) : 1),
      },
      streamId,
      revision: BigInt(this.events.filter((e) => e.streamId === streamId).length),
      position: `M:${String(this.count).padStart(20, '0')}` as Position,
      recordedAt: new Date(at),
    };
    this.events.push(event);
    return event;
  }
}

export const identity = (meetingID: string, tenant = 'acme') => ({ tenant, scope: tenant, meetingID });

export const placed = (meetingID: string, nodeId: string, record = false, tenant = 'acme'): { [key: string]: JsonValue } => ({
  ...identity(meetingID, tenant),
  nodeId,
  nodeMeetingID: `${tenant}-${meetingID}`,
  params: record ? { record: 'true', name: meetingID } : { record: 'false', name: meetingID },
  body: null,
});

export const created = (meetingID: string, nodeId: string, tenant = 'acme') => ({
  ...identity(meetingID, tenant),
  nodeId,
  nodeMeetingID: `${tenant}-${meetingID}`,
  internalMeetingID: `int-${meetingID}`,
  createTime: 1,
  attendeePW: null,
  moderatorPW: null,
  voiceBridge: '70000',
  dialNumber: '',
  name: `Room ${meetingID}`,
  metadata: {},
});

export const moved = (meetingID: string, from: string, to: string, tenant = 'acme') => {
  const { nodeId: _, internalMeetingID: __, ...rest } = created(meetingID, from, tenant);
  return { ...rest, from, to, cause: 'nodeOffline', internalMeetingID: `int-${meetingID}-${to}` };
};

export const nodeRegistered = (nodeId: string) => ({
  nodeId,
  url: `https://${nodeId}.example.com/bigbluebutton/api/`,
  secret: 's',
  checksumAlgorithm: 'sha256',
  tags: [],
  loadFactor: 1,
});
