import type { ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import type { NodeAdminState } from '../domain/node/events.js';
import type { NodeHealth } from '../domain/node/health.js';
import { nodeDecider } from '../domain/node/decider.js';
import { NODE_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/** One row of `GET /admin/api/v1/nodes`. Never the secret. */
export interface NodeListEntry {
  id: string;
  url: string;
  checksumAlgorithm: ChecksumAlgorithm;
  tags: string[];
  loadFactor: number;
  /** Capacity in load units; null = no cap. */
  maxLoad: number | null;
  adminState: NodeAdminState;
  health: NodeHealth;
  /** Meetings and participants on the node as its last NodeLoadReported said; 0 before the first. */
  meetings: number;
  participants: number;
  /** ISO-8601, from the registering event's metadata. */
  registeredAt: string;
}

/** Set-like operations, so applying one twice leaves the same model. */
export type NodeListOp =
  | { op: 'put'; entry: NodeListEntry }
  | { op: 'setAdminState'; id: string; adminState: NodeAdminState }
  | { op: 'setHealth'; id: string; health: NodeHealth }
  | { op: 'setTags'; id: string; tags: string[] }
  | { op: 'setMaxLoad'; id: string; maxLoad: number | null }
  | { op: 'setLoad'; id: string; meetings: number; participants: number }
  | { op: 'remove'; id: string };

/** The read side the HTTP layer depends on; Redis and in-process implementations. */
export interface NodeListReadModel {
  /** Ordered by registration time, then id. */
  list(): Promise<NodeListEntry[]>;
  get(id: string): Promise<NodeListEntry | undefined>;
}

export function projectNodeList(recorded: RecordedEvent): NodeListOp[] {
  // Narrowed to node events (a non-node event throws), so the switch below stays exhaustive as the catalogue grows.
  const event = nodeDecider.decode(recorded);
  switch (event.type) {
    case 'NodeRegistered': {
      const { nodeId, url, checksumAlgorithm, tags, loadFactor } = event.data;
      const entry: NodeListEntry = {
        id: nodeId,
        url,
        checksumAlgorithm,
        tags,
        loadFactor,
        maxLoad: null,
        adminState: 'enabled',
        health: 'unknown',
        meetings: 0,
        participants: 0,
        registeredAt: recorded.metadata.at,
      };
      return [{ op: 'put', entry }];
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
    case 'NodeLoadReported':
      return [{ op: 'setLoad', id: event.data.nodeId, meetings: event.data.meetings, participants: event.data.participants }];
    case 'NodeRemoved':
      return [{ op: 'remove', id: event.data.nodeId }];
    // The explanation lives in the node's history; the list shows only what the node runs for us.
    case 'NodeReportedUnknownMeeting':
      return [];
    case 'NodeCapacityChanged':
      return [{ op: 'setMaxLoad', id: event.data.nodeId, maxLoad: event.data.maxLoad }];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const nodeListProjection: ProjectionDefinition<NodeListOp> = {
  name: 'nodeList',
  filter: { streamPrefixes: [NODE_STREAM_PREFIX] },
  project: projectNodeList,
};

export function byRegistration(a: NodeListEntry, b: NodeListEntry): number {
  return a.registeredAt < b.registeredAt ? -1 : a.registeredAt > b.registeredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
