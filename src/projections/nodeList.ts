import { nodeDecider } from '../domain/node/decider.js';
import { nodeViewChange, type NodeFieldChange, type NodeView } from '../domain/node/nodeView.js';
import { NODE_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/** One row of `GET /admin/api/v1/nodes`: the node's view without the secret, with the list's own figures. */
export interface NodeListEntry extends Pick<NodeView, 'url' | 'checksumAlgorithm' | 'tags' | 'loadFactor' | 'maxLoad' | 'adminState' | 'health'> {
  id: string;
  /** Meetings and participants on the node as its last NodeLoadReported said; 0 before the first. */
  meetings: number;
  participants: number;
  /** ISO-8601, from the registering event's metadata. */
  registeredAt: string;
}

/** Set-like operations, so applying one twice leaves the same model: the node view's status changes, plus the list's own. */
export type NodeListOp =
  | { op: 'put'; entry: NodeListEntry }
  | NodeFieldChange
  | { op: 'setLoad'; id: string; meetings: number; participants: number }
  | { op: 'remove'; id: string };

/** The read side the HTTP layer depends on; Redis and in-process implementations. */
export interface NodeListReadModel {
  /** Ordered by registration time, then id. */
  list(): Promise<NodeListEntry[]>;
  get(id: string): Promise<NodeListEntry | undefined>;
}

export function projectNodeList(recorded: RecordedEvent): NodeListOp[] {
  // Narrowed to node events (a non-node event throws), so the node view's switch stays exhaustive as the catalogue grows.
  const change = nodeViewChange(nodeDecider.decode(recorded));
  if (change === null) return [];
  switch (change.op) {
    case 'register': {
      const { nodeId, url, checksumAlgorithm, tags, loadFactor, maxLoad, adminState, health } = change.view;
      return [{ op: 'put', entry: { id: nodeId, url, checksumAlgorithm, tags, loadFactor, maxLoad, adminState, health, meetings: 0, participants: 0, registeredAt: recorded.metadata.at } }];
    }
    case 'setLoad':
      return [{ op: 'setLoad', id: change.id, meetings: change.load.meetings, participants: change.load.participants }];
    default:
      return [change];
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
