import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import { decodeEvent } from '../../domain/eventCatalogue.js';
import type { NodeAdminState } from '../../domain/node/events.js';
import { ADMIN_STATE_OF } from '../../domain/node/nodeView.js';
import type { RecordedEvent } from '../../eventstore/port.js';
import type { ProjectionDefinition } from '../projection.js';

/**
 * What one event means to the statistics, as plain facts. Folding them (statsFold.ts) needs the state of
 * earlier batches, so ops carry no arithmetic: they say what happened, when, to which stream.
 */
export type StatsOp =
  | { op: 'tenantRegistered'; tenant: string; at: string }
  | { op: 'nodeRegistered'; nodeId: string; url: string; at: string }
  | { op: 'nodeAdminState'; nodeId: string; adminState: NodeAdminState; at: string }
  | { op: 'nodeHealth'; nodeId: string; health: string; reason: string; detail: string; at: string }
  | { op: 'meetingPlaced'; stream: string; recorded: boolean }
  | { op: 'meetingStarted'; stream: string; tenant: string; scope: string; meetingID: string; nodeId: string; name: string; at: string }
  | { op: 'participants'; stream: string; change: ParticipantChange; at: string }
  /** Failover re-created the running meeting on `nodeId`: the same meeting, from now on on that node. */
  | { op: 'meetingMoved'; stream: string; nodeId: string; at: string }
  | { op: 'meetingEnded'; stream: string; reason: string; at: string }
  | { op: 'createFailed'; tenant: string; nodeId: string; at: string }
  | { op: 'createAbandoned'; tenant: string; at: string };

/**
 * One step of a meeting's participant timeline. Joins only ever add (a MeetingJoined counts the joins of a
 * window; they count from the window's last join, when all of them had happened); an absolute count (a later MeetingParticipantsChanged from polling) replaces the running figure.
 */
export type ParticipantChange = { kind: 'delta'; by: number } | { kind: 'count'; count: number };

/** BBB's `record` create parameter: the meeting may be recorded (the recording itself comes with recording events). */
const isRecordable = (params: Record<string, string>): boolean => params.record?.toLowerCase() === 'true';

/**
 * Pure. Decoding first means an undecodable event or a newer schema version stops the projection (the
 * runner reports it) instead of writing wrong rows; a valid event type the statistics do not use yields no ops.
 */
export function projectStats(recorded: RecordedEvent): StatsOp[] {
  const event = decodeEvent(recorded);
  const at = recorded.metadata.at;
  const stream = recorded.streamId;
  switch (event.type) {
    case 'TenantRegistered':
      return [{ op: 'tenantRegistered', tenant: event.data.tenant, at }];
    case 'NodeRegistered':
      return [{ op: 'nodeRegistered', nodeId: event.data.nodeId, url: event.data.url, at }];
    case 'NodeEnabled':
    case 'NodeCordoned':
    case 'NodeDisabled':
    case 'NodeDecommissioned':
      return [{ op: 'nodeAdminState', nodeId: event.data.nodeId, adminState: ADMIN_STATE_OF[event.type], at }];
    case 'NodeHealthChanged': {
      const { nodeId, health, reason, detail } = event.data;
      return [{ op: 'nodeHealth', nodeId, health, reason, detail, at }];
    }
    case 'MeetingPlaced':
      return [{ op: 'meetingPlaced', stream, recorded: isRecordable(event.data.params) }];
    case 'MeetingCreated': {
      const { tenant, scope, meetingID, nodeId, name } = event.data;
      return [{ op: 'meetingStarted', stream, tenant, scope, meetingID, nodeId, name, at }];
    }
    case 'MeetingJoined':
      return [{ op: 'participants', stream, change: { kind: 'delta', by: event.data.moderators + event.data.viewers }, at: event.data.to }];
    case 'MeetingParticipantsChanged':
      return [{ op: 'participants', stream, change: { kind: 'count', count: event.data.participantCount }, at: event.data.at }];
    case 'MeetingMoved':
      return [{ op: 'meetingMoved', stream, nodeId: event.data.to, at }];
    case 'MeetingEnded':
      return [{ op: 'meetingEnded', stream, reason: event.data.reason, at }];
    case 'MeetingCreateFailed':
      return [{ op: 'createFailed', tenant: event.data.tenant, nodeId: event.data.nodeId, at }];
    case 'MeetingCreateAbandoned':
      return [{ op: 'createAbandoned', tenant: event.data.tenant, at }];
    default:
      // A domain event the statistics have no use for (yet): nothing to write, and no reason to stop.
      return [];
  }
}

export const STATS_PROJECTION_NAME = 'stats';

export const statsProjection: ProjectionDefinition<StatsOp> = {
  name: STATS_PROJECTION_NAME,
  filter: { streamPrefixes: [TENANT_STREAM_PREFIX, NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX] },
  project: projectStats,
};
