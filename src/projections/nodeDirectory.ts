import { nodeDecider } from '../commands/nodeCommands.js';
import { NODE_STREAM_PREFIX } from '../commands/streams.js';
import type { ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import type { NodeAdminState } from '../domain/node/events.js';
import type { NodeHealth } from '../domain/node/health.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/**
 * One node as placement and the calls routed to it need it, secret included; field names match the
 * placement module's node type so the list can be handed over as it is.
 */
export interface DirectoryNode {
  id: string;
  /** `…/bigbluebutton/api/` */
  apiUrl: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
  adminState: NodeAdminState;
  /** A node never probed yet (`unknown`) reads as `offline`: nothing may be sent to it before it answered. */
  health: Exclude<NodeHealth, 'unknown'>;
  /** 0 until meeting events feed this model. */
  meetings: number;
  participants: number;
  loadFactor: number;
  tags: string[];
}

export type NodeDirectoryRegistration = Omit<DirectoryNode, 'adminState' | 'health' | 'meetings' | 'participants'>;

/** Set-like operations, so applying one twice leaves the same model. */
export type NodeDirectoryOp =
  | { op: 'register'; node: NodeDirectoryRegistration }
  | { op: 'setAdminState'; id: string; adminState: NodeAdminState }
  | { op: 'setHealth'; id: string; health: NodeHealth };

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
  // Narrowed to node events (a non-node event throws), so the switch stays exhaustive as the catalogue grows.
  const event = nodeDecider.decode(recorded);
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
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const nodeDirectoryProjection: ProjectionDefinition<NodeDirectoryOp> = {
  name: 'nodeDirectory',
  filter: { streamPrefixes: [NODE_STREAM_PREFIX] },
  project: projectNodeDirectory,
};
