import type { JsonValue, RecordedEvent } from '../../../src/eventstore/port.js';
import { eventLog } from '../../support/events.js';

/** Hand-made stored events in global order, kept for the fold under test. */
export class EventLog {
  private readonly log = eventLog();
  readonly events: RecordedEvent[] = [];

  add(streamId: string, type: string, data: JsonValue, at: string, schemaVersion?: number): RecordedEvent {
    const n = this.events.length + 1;
    const event = this.log(type, data, { streamId, at, correlationId: `corr-${n}`, causationId: `cause-${n}`, ...(schemaVersion === undefined ? {} : { schemaVersion }) });
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
