/** What happened to a BBB node. Data carries the node id so projections never parse stream names. */

export type NodeRegistered = {
  type: 'NodeRegistered';
  data: {
    nodeId: string;
    /** Normalised BBB API base, always ending in `/api/`. */
    url: string;
    secret: string;
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

export type NodeEvent = NodeRegistered | NodeEnabled | NodeCordoned | NodeDisabled;

export type NodeAdminState = 'enabled' | 'cordoned' | 'disabled';
