import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX } from '../domain/streams.js';
import { decodeEvent } from '../domain/eventCatalogue.js';
import type { PlacementNode } from '../domain/placement/placement.js';
import type { NodeAdminState } from '../domain/node/events.js';
import type { NodeHealth } from '../domain/node/health.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/**
 * One node as placement and the calls routed to it need it, secret included: placement's node, with the
 * load figures this read model always knows.
 */
export interface DirectoryNode extends PlacementNode {
  /** The last NodeLoadReported's participants plus the joins sent since; before any report, the joins. */
  participants: number;
  /** 0–1 from the node's load endpoint, as last reported; null without one. */
  cpu: number | null;
  breakoutMeetings: number;
}

export type NodeDirectoryRegistration = Omit<DirectoryNode, 'adminState' | 'health' | 'meetings' | 'participants' | 'cpu' | 'breakoutMeetings'>;

/** Set-like operations, so applying one twice leaves the same model. */
export type NodeDirectoryOp =
  | { op: 'register'; node: NodeDirectoryRegistration }
  | { op: 'setAdminState'; id: string; adminState: NodeAdminState }
  | { op: 'setHealth'; id: string; health: NodeHealth }
  | { op: 'setTags'; id: string; tags: string[] }
  | { op: 'setMaxLoad'; id: string; maxLoad: number | null }
  /** A poll's counts, taken at `at`, replace the joins counted so far. */
  | { op: 'load'; id: string; participants: number; cpu: number | null; breakoutMeetings: number; memory?: number; at: string }
  | { op: 'remove'; id: string }
  /** `meeting` is the meeting's stream: one live incarnation at a time. */
  | { op: 'meetingOn'; id: string; meeting: string }
  | { op: 'meetingOff'; meeting: string }
  /**
   * `join` is the MeetingJoined's position, so a replayed event is not counted twice; `count` its joins, the
   * last at `at`: a load report taken later (appended earlier: joins wait for their window) has them already.
   */
  | { op: 'joined'; meeting: string; join: string; count: number; at: string };

/**
 * Every registered node with its secret, kept in each LB instance's own memory (never in Redis): it is
 * small, placement and node calls read it on every request, and it is rebuilt from the log at start.
 */
export interface NodeDirectory {
  /** Every registered node, decommissioned ones included (their meetings still run): placement filters. */
  nodesForPlacement(): DirectoryNode[];
  get(id: string): DirectoryNode | undefined;
}

export function projectNodeDirectory(recorded: RecordedEvent): NodeDirectoryOp[] {
  const event = decodeEvent(recorded);
  switch (event.type) {
    case 'NodeRegistered': {
      const { nodeId, url, secret, checksumAlgorithm, loadFactor, tags } = event.data;
      return [{ op: 'register', node: { id: nodeId, apiUrl: url, secret, checksumAlgorithm, loadFactor, tags } }];
    }
    case 'NodeEnabled':
      return [{ op: 'setAdminState', id: event.data.nodeId, adminState: 'enabled' }];
    case 'NodeCordoned':
      return [{ op: 'setAdminState', id: event.data.nodeId, adminState: 'cordoned' }];
    case 'NodeDisabled':
      return [{ op: 'setAdminState', id: event.data.nodeId, adminState: 'disabled' }];
    case 'NodeDecommissioned':
      return [{ op: 'setAdminState', id: event.data.nodeId, adminState: 'decommissioned' }];
    case 'NodeHealthChanged':
      return [{ op: 'setHealth', id: event.data.nodeId, health: event.data.health }];
    case 'NodeTagsChanged':
      return [{ op: 'setTags', id: event.data.nodeId, tags: [...event.data.tags] }];
    case 'NodeCapacityChanged':
      return [{ op: 'setMaxLoad', id: event.data.nodeId, maxLoad: event.data.maxLoad }];
    case 'NodeLoadReported': {
      const { nodeId, participants, cpu, breakoutMeetings, memory } = event.data;
      return [{ op: 'load', id: nodeId, participants, cpu, breakoutMeetings, ...(memory === undefined ? {} : { memory }), at: recorded.metadata.at }];
    }
    case 'NodeRemoved':
      return [{ op: 'remove', id: event.data.nodeId }];
    case 'MeetingPlaced':
    case 'MeetingCreated':
      return [{ op: 'meetingOn', id: event.data.nodeId, meeting: recorded.streamId }];
    // Off the node it left (meetingOn moves it), so placement counts it where it runs now.
    case 'MeetingMoved':
      return [{ op: 'meetingOn', id: event.data.to, meeting: recorded.streamId }];
    case 'MeetingCreateFailed':
    case 'MeetingCreateAbandoned':
    case 'MeetingCreateRefused':
    case 'MeetingEnded':
      return [{ op: 'meetingOff', meeting: recorded.streamId }];
    case 'MeetingJoined':
      return [{ op: 'joined', meeting: recorded.streamId, join: recorded.position, count: event.data.moderators + event.data.viewers, at: event.data.to }];
    // Counts per meeting reach the node through its NodeLoadReported; unknown meetings are not placed by us.
    case 'MeetingParticipantsChanged':
    case 'NodeReportedUnknownMeeting':
    case 'TenantRegistered':
    case 'TenantSecretAdded':
    case 'TenantSecretRevoked':
    case 'TenantTagsRequired':
    case 'RecordingImported':
    case 'RecordingPublished':
    case 'RecordingUnpublished':
    case 'RecordingMetadataUpdated':
    case 'RecordingDeleted':
    case 'RecordingExpired':
    case 'RecordingRenderRequested':
    case 'RecordingRendered':
    case 'RecordingRenderFailed':
    case 'RecordingReadyNotified':
    case 'RecordingReadyNotifyFailed':
    case 'RecordingUploaded':
    case 'RecordingImportCompleted':
    case 'RecordingImportFailed':
    case 'TenantLimitsChanged':
    case 'TenantParametersChanged':
    case 'TenantLimitExceeded':
    case 'TenantLimitReached':
    case 'TenantLimitCleared':
    case 'AutoscaleRecommendationChanged':
    case 'CallbackDeliveryRequested':
    case 'HookDeliveryRequested':
    case 'CallbackDeliveryAttempted':
    case 'CallbackDeliveryDeadLettered':
    case 'HookCreated':
    case 'HookDestroyed':
    case 'TenantAssetSet':
    case 'TenantAssetRemoved':
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const nodeDirectoryProjection: ProjectionDefinition<NodeDirectoryOp> = {
  name: 'nodeDirectory',
  filter: { streamPrefixes: [NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX] },
  project: projectNodeDirectory,
};
