import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX } from '../domain/streams.js';
import { decodeEvent } from '../domain/eventCatalogue.js';
import type { PlacementNode } from '../domain/placement/placement.js';
import { isNodeEvent } from '../domain/node/decider.js';
import { nodeViewChange, type NodeFieldChange, type NodeViewChange } from '../domain/node/nodeView.js';
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
  | NodeFieldChange
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
  if (isNodeEvent(event)) return nodeOps(nodeViewChange(event), recorded.metadata.at);
  switch (event.type) {
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
    // Counts per meeting reach the node through its NodeLoadReported.
    case 'MeetingParticipantsChanged':
    case 'TenantRegistered':
    case 'TenantSecretAdded':
    case 'TenantSecretRevoked':
    case 'TenantTagsRequired':
    case 'RecordingImported':
    case 'RecordingPublished':
    case 'RecordingUnpublished':
    case 'RecordingMetadataUpdated':
    case 'RecordingProtectionChanged':
    case 'RecordingDeleted':
    case 'RecordingExpired':
    case 'RecordingObjectsDeleted':
    case 'RecordingRenderRequested':
    case 'RecordingRendered':
    case 'RecordingRenderDiscarded':
    case 'RecordingRenderFailed':
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
    case 'TenantRecordingPolicyChanged':
    case 'TenantAssetSet':
    case 'TenantAssetRemoved':
    case 'SecretReserved':
    case 'SecretReleased':
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The node view's changes, with the directory's names for the registration and the load it keeps. */
function nodeOps(change: NodeViewChange | null, at: string): NodeDirectoryOp[] {
  if (change === null) return [];
  switch (change.op) {
    case 'register': {
      const { nodeId, url, secret, checksumAlgorithm, loadFactor, tags } = change.view;
      return [{ op: 'register', node: { id: nodeId, apiUrl: url, secret, checksumAlgorithm, loadFactor, tags } }];
    }
    case 'setLoad': {
      const { participants, cpu, breakoutMeetings, memory } = change.load;
      return [{ op: 'load', id: change.id, participants, cpu, breakoutMeetings, ...(memory === undefined ? {} : { memory }), at }];
    }
    default:
      return [change];
  }
}

export const nodeDirectoryProjection: ProjectionDefinition<NodeDirectoryOp> = {
  name: 'nodeDirectory',
  filter: { streamPrefixes: [NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX] },
  project: projectNodeDirectory,
};
