import type { ChecksumAlgorithm } from '../bbb/checksum.js';
import type { NodeAdminState } from '../node/events.js';
import type { NodeHealth } from '../node/health.js';

/** What placement (and the calls routed to a node) need to know about one node. */
export interface PlacementNode {
  id: string;
  /** `…/bigbluebutton/api/` */
  apiUrl: string;
  secret: string;
  /** How calls to this node are signed; BBB accepts all four by default, sha256 is the usual choice. */
  checksumAlgorithm: ChecksumAlgorithm;
  adminState: NodeAdminState;
  /** A node never probed counts as offline: nothing goes to it before it answered. */
  health: Exclude<NodeHealth, 'unknown'>;
  /** Meetings running on the node. */
  meetings: number;
  /** Participants in those meetings. */
  participants: number;
  /** Operator weight: 2 means the node fills up twice as fast (a smaller machine). */
  loadFactor: number;
  tags: string[];
}

/** Where placement reads nodes from: the node read model in production, simulators in tests. */
export type NodesForPlacement = () => Promise<PlacementNode[]>;

/**
 * A meeting weighs as much as this many participants, even while empty: a freshly created meeting is about
 * to fill up, and counting it as 0 sends a burst of creates to the same node (Scalelite's thundering herd).
 * b3scale uses 15 per meeting, Scalelite's LOAD_MIN_USER_COUNT is 15 too.
 */
export const DEFAULT_MEETING_WEIGHT = 15;

export interface PlacementOptions {
  /** Nodes already tried for this meeting (a failed create). */
  exclude?: readonly string[];
  meetingWeight?: number;
}

/** Takes new meetings: enabled by the operator and healthy by the poller. */
export function eligible(nodes: readonly PlacementNode[], exclude: readonly string[] = []): PlacementNode[] {
  return nodes.filter((n) => n.adminState === 'enabled' && n.health === 'available' && !exclude.includes(n.id));
}

export function loadOf(node: PlacementNode, meetingWeight = DEFAULT_MEETING_WEIGHT): number {
  return (node.meetings * meetingWeight + node.participants) * node.loadFactor;
}

/** Least loaded first; equal loads by id, so every LB instance ranks the same way. */
export function byLeastLoad(nodes: readonly PlacementNode[], meetingWeight = DEFAULT_MEETING_WEIGHT): PlacementNode[] {
  return [...nodes].sort((a, b) => loadOf(a, meetingWeight) - loadOf(b, meetingWeight) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every eligible node, best first: the candidates a create tries in turn. */
export function rankNodes(nodes: readonly PlacementNode[], options: PlacementOptions = {}): PlacementNode[] {
  return byLeastLoad(eligible(nodes, options.exclude), options.meetingWeight);
}

export function chooseNode(nodes: readonly PlacementNode[], options: PlacementOptions = {}): PlacementNode | undefined {
  return rankNodes(nodes, options)[0];
}
