import type { ChecksumAlgorithm } from '../bbb/checksum.js';
import type { NodeAdminState } from '../node/events.js';
import type { NodeHealth } from '../node/health.js';
import type { Reservation } from './reservations.js';

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
  /** Breakout rooms on the node: BBB creates them itself, so only a poll sees them. Absent = none known. */
  breakoutMeetings?: number;
  /** CPU busy share from 0 to 1, as the node last reported it. Absent or null = unknown, and then not counted. */
  cpu?: number | null;
  /** Memory in use from 0 to 1, when the node agent reports it; the load model counts the busier of CPU and memory. */
  memory?: number | null;
  /** Operator weight: 2 means the node fills up twice as fast (a smaller machine). */
  loadFactor: number;
  tags: string[];
  /** Capacity in load units: no meeting goes here that would take the node past it. Absent or null = no cap. */
  maxLoad?: number | null;
}

/** Where placement reads nodes from: the node read model in production, simulators in tests. */
export type NodesForPlacement = () => Promise<PlacementNode[]>;

/** Everything one placement decision depends on besides the nodes; the choice is a pure function of both. */
export interface PlacementRequest {
  /** Nodes already tried for this meeting (a failed create). */
  exclude: readonly string[];
  /** Tags a node must all carry: the tenant's plus the create's `a!` tags. `none` = an untagged node. */
  requiredTags: readonly string[];
  /** Nodes carrying one of these rank before the others (`meta_server-tag=a`). */
  preferredTags: readonly string[];
  /** Load this instance has placed and no read model shows yet. */
  reservations: readonly Reservation[];
  /** Epoch milliseconds: reservations decay with time. */
  now: number;
  /** Participants the new meeting is assumed to bring (its size hint); absent = the load model's reserved seats. */
  seats?: number;
}

export const emptyPlacementRequest = (now: number): PlacementRequest => ({ exclude: [], requiredTags: [], preferredTags: [], reservations: [], now });
