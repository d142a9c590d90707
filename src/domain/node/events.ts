import type { ChecksumAlgorithm } from '../bbb/checksum.js';
import type { NodeHealth, ProbeFailureReason } from './health.js';

/** What happened to a BBB node. Data carries the node id so projections never parse stream names. */

export type NodeRegistered = {
  type: 'NodeRegistered';
  data: {
    nodeId: string;
    /** Normalised BBB API base, always ending in `/api/`. */
    url: string;
    secret: string;
    /** What we sign calls to this node and join redirects to it with. */
    checksumAlgorithm: ChecksumAlgorithm;
    /** Sorted, without duplicates. */
    tags: string[];
    loadFactor: number;
  };
};

export type NodeEnabled = { type: 'NodeEnabled'; data: { nodeId: string } };

/** No new meetings; running ones continue (drain). */
export type NodeCordoned = { type: 'NodeCordoned'; data: { nodeId: string } };

/** Neither new meetings nor joins. */
export type NodeDisabled = { type: 'NodeDisabled'; data: { nodeId: string } };

/** Final: never new meetings again, no more health probes; removal once empty comes later. */
export type NodeDecommissioned = { type: 'NodeDecommissioned'; data: { nodeId: string } };

/** Only a change of health is recorded, never each probe. */
export type NodeHealthChanged = {
  type: 'NodeHealthChanged';
  data: {
    nodeId: string;
    health: Exclude<NodeHealth, 'unknown'>;
    previous: NodeHealth;
    reason: 'probeSucceeded' | ProbeFailureReason;
    /** For humans: what the probe saw (an HTTP status, an error code, the count of good probes). */
    detail: string;
  };
};

export type NodeEvent = NodeRegistered | NodeEnabled | NodeCordoned | NodeDisabled | NodeDecommissioned | NodeHealthChanged;

export type NodeAdminState = 'enabled' | 'cordoned' | 'disabled' | 'decommissioned';
