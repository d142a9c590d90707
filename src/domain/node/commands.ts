import type { NodeReportedUnknownMeeting } from './events.js';
import type { HealthThresholds, ProbeResult, ProbeStreak } from './health.js';

/** What an operator (or a saga) asks of a node. Ids come in the data; time comes with the call to decide. */

export type RegisterNode = {
  type: 'RegisterNode';
  data: {
    nodeId: string;
    /** As typed by the operator; decide validates and normalises it. */
    url: string;
    secret: string;
    /** `sha1`, `sha256`, `sha384` or `sha512`; absent = `sha256`. */
    checksumAlgorithm?: string;
    tags: string[];
    loadFactor: number;
  };
};

export type EnableNode = { type: 'EnableNode'; data: { nodeId: string } };
export type CordonNode = { type: 'CordonNode'; data: { nodeId: string } };
export type DisableNode = { type: 'DisableNode'; data: { nodeId: string } };
export type DecommissionNode = { type: 'DecommissionNode'; data: { nodeId: string } };

/**
 * One probe's outcome, from the health saga. The aggregate records only health changes, so the count of
 * consecutive results before this one cannot be folded from its events: the saga counts them and sends
 * them along (`streak`), with its configured thresholds. Losing the count (a restart) only delays a
 * transition by a few probes; the health itself always comes from the log.
 */
export type RecordProbeResult = {
  type: 'RecordProbeResult';
  data: { nodeId: string; result: ProbeResult; streak: ProbeStreak; thresholds: HealthThresholds };
};

/** From the drain saga: the node's last meeting ended. Disables a cordoned node, removes a decommissioned one. */
export type CompleteDrain = { type: 'CompleteDrain'; data: { nodeId: string } };

/** From reconciliation: a meeting on the node that is not ours (see NodeReportedUnknownMeeting). */
export type RecordUnknownMeeting = { type: 'RecordUnknownMeeting'; data: NodeReportedUnknownMeeting['data'] };

export type AdminNodeCommand = EnableNode | CordonNode | DisableNode | DecommissionNode;

/** From the admin API: replace the node's tags (the whole set, so a retry is harmless). */
export type ChangeNodeTags = { type: 'ChangeNodeTags'; data: { nodeId: string; tags: string[] } };

/** From the admin API: the node's capacity in load units (null = none); validated by decide. */
export type SetNodeCapacity = { type: 'SetNodeCapacity'; data: { nodeId: string; maxLoad: unknown } };

export type NodeCommand = RegisterNode | AdminNodeCommand | RecordProbeResult | CompleteDrain | RecordUnknownMeeting | ChangeNodeTags | SetNodeCapacity;
