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

/** `operator`: an admin asked; `drained`: the node was cordoned and its last meeting ended. */
export type NodeDisableReason = 'operator' | 'drained';

/** Neither new meetings nor joins. */
export type NodeDisabled = { type: 'NodeDisabled'; data: { nodeId: string; reason: NodeDisableReason } };

/** Final: never new meetings again; still polled while its meetings run, then removed. */
export type NodeDecommissioned = { type: 'NodeDecommissioned'; data: { nodeId: string } };

/** A decommissioned node whose last meeting ended: gone for good, no longer polled. */
export type NodeRemoved = { type: 'NodeRemoved'; data: { nodeId: string; reason: 'drained' } };

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

/**
 * What a poll saw on the node, recorded only when it differs materially from the last report
 * (`LoadMateriality`), never once per poll. Breakout rooms are counted apart and their users are not
 * added again: BBB still lists them in the parent meeting (as `summarise` counts).
 */
export type NodeLoadReported = {
  type: 'NodeLoadReported';
  data: {
    nodeId: string;
    /** Meetings that are not breakout rooms. */
    meetings: number;
    participants: number;
    voice: number;
    video: number;
    breakoutMeetings: number;
    /** 0–1 from the node's load endpoint; null when none is configured or it did not answer. */
    cpu: number | null;
    /** 0–1 memory in use, from our node agent's JSON; absent when the endpoint does not report it. */
    memory?: number;
  };
};

/**
 * `notPlacedByUs`: someone created it on the node directly. `endedHere`: our log says it ended (an end
 * that did not reach the node). Recorded once per node meeting incarnation; the meeting list never
 * shows it, so it cannot block a create.
 */
export type UnknownMeetingExplanation = 'notPlacedByUs' | 'endedHere';

export type NodeReportedUnknownMeeting = {
  type: 'NodeReportedUnknownMeeting';
  data: {
    nodeId: string;
    nodeMeetingID: string;
    internalMeetingID: string;
    name: string;
    createTime: number;
    participantCount: number;
    explanation: UnknownMeetingExplanation;
    /** For humans: when we saw it, and for `endedHere` when and why it ended here. */
    detail: string;
  };
};

/** The operator re-tagged the node: the full set, sorted and without duplicates, replaces the old one. */
export type NodeTagsChanged = { type: 'NodeTagsChanged'; data: { nodeId: string; tags: string[] } };

export type NodeEvent =
  | NodeRegistered
  | NodeEnabled
  | NodeCordoned
  | NodeDisabled
  | NodeDecommissioned
  | NodeRemoved
  | NodeHealthChanged
  | NodeLoadReported
  | NodeReportedUnknownMeeting
  | NodeTagsChanged
  | NodeCapacityChanged;

/**
 * The node's capacity in load units (the load model's, as placement computes it): placement gives it no
 * meeting that would take it past `maxLoad`. null = no cap.
 */
export type NodeCapacityChanged = { type: 'NodeCapacityChanged'; data: { nodeId: string; maxLoad: number | null } };

export const NODE_EVENT_TYPES: readonly NodeEvent['type'][] = [
  'NodeCapacityChanged',
  'NodeRegistered',
  'NodeEnabled',
  'NodeCordoned',
  'NodeDisabled',
  'NodeDecommissioned',
  'NodeRemoved',
  'NodeHealthChanged',
  'NodeLoadReported',
  'NodeReportedUnknownMeeting',
  'NodeTagsChanged',
];

export const NODE_ADMIN_STATES = ['enabled', 'cordoned', 'disabled', 'decommissioned'] as const;

export type NodeAdminState = (typeof NODE_ADMIN_STATES)[number];
