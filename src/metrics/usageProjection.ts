import { LIMITS_STREAM_PREFIX, MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../domain/streams.js';
import { decodeEvent } from '../domain/eventCatalogue.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from '../projections/projection.js';

/**
 * What the metrics count from the log. Ops are deltas: the in-process target applies each event once
 * (it skips positions at or before its checkpoint), and the model is rebuilt from the log at every start.
 * `meeting` is the meeting's stream id: it never reaches a label.
 */
export type UsageOp =
  | { op: 'tenant'; tenant: string }
  | { op: 'meetingOn'; meeting: string; tenant: string }
  | { op: 'meetingOff'; meeting: string }
  | { op: 'joined'; meeting: string; count: number }
  | { op: 'counts'; meeting: string; participants: number; voice: number; video: number }
  | { op: 'placed'; node: string }
  | { op: 'refused'; reason: string }
  | { op: 'health'; node: string; health: string; at: number }
  | { op: 'moved'; from: string; at: number }
  | { op: 'nodeLoad'; node: string; voice: number; video: number }
  | { op: 'nodeGone'; node: string }
  | { op: 'limitHits'; tenant: string; limit: string; outcome: string; occurrences: number };

export function projectUsage(recorded: RecordedEvent): UsageOp[] {
  const event = decodeEvent(recorded);
  const meeting = recorded.streamId;
  const at = Date.parse(recorded.metadata.at);
  switch (event.type) {
    case 'TenantRegistered':
      return [{ op: 'tenant', tenant: event.data.tenant }];
    case 'MeetingPlaced':
      return [{ op: 'placed', node: event.data.nodeId }];
    case 'MeetingCreated':
      return [{ op: 'meetingOn', meeting, tenant: event.data.tenant }];
    case 'MeetingMoved':
      return [{ op: 'meetingOn', meeting, tenant: event.data.tenant }, { op: 'moved', from: event.data.from, at }];
    case 'MeetingCreateAbandoned':
      return [{ op: 'meetingOff', meeting }, { op: 'refused', reason: event.data.reason }];
    case 'MeetingCreateRefused':
      // No node had room (serverFull): refused before any placement, so nothing to take off.
      return [{ op: 'refused', reason: event.data.reason }];
    case 'MeetingEnded':
      return [{ op: 'meetingOff', meeting }];
    case 'MeetingJoined':
      return [{ op: 'joined', meeting, count: event.data.moderators + event.data.viewers }];
    case 'MeetingParticipantsChanged': {
      const { participantCount, voice, video } = event.data;
      return [{ op: 'counts', meeting, participants: participantCount, voice, video }];
    }
    case 'NodeHealthChanged':
      return [{ op: 'health', node: event.data.nodeId, health: event.data.health, at }];
    case 'NodeLoadReported':
      return [{ op: 'nodeLoad', node: event.data.nodeId, voice: event.data.voice, video: event.data.video }];
    case 'NodeRemoved':
      return [{ op: 'nodeGone', node: event.data.nodeId }];
    case 'TenantLimitExceeded': {
      const { tenant, limit, outcome, occurrences } = event.data;
      return [{ op: 'limitHits', tenant, limit, outcome, occurrences }];
    }
    // Secrets, tags, admin states and the rest: the node directory and tenant directory have them.
    default:
      return [];
  }
}

export const usageProjection: ProjectionDefinition<UsageOp> = {
  name: 'metricsUsage',
  filter: { streamPrefixes: [TENANT_STREAM_PREFIX, NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX, LIMITS_STREAM_PREFIX] },
  project: projectUsage,
};
