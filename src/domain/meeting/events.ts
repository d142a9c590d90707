/**
 * What happened to a meeting. Every event names its tenant, scope and client meeting ID, so projections
 * never parse stream names. Absent optional values are `null`, never missing, so the data stays plain JSON.
 */

export type MeetingIdentity = {
  tenant: string;
  /** `acme` or `acme-007`: meeting IDs are unique per scope. */
  scope: string;
  /** As the client knows it. */
  meetingID: string;
};

/** A create's XML body (pre-uploaded documents), kept in the blob store; only the reference is in the log. */
export type CreateBodyRef = {
  /** `sha256:<hex>` of the bytes: content-addressed, immutable. */
  ref: string;
  contentType: string;
  size: number;
};

/**
 * The meeting goes to `nodeId`. Appended before the node is called, with the expected revision, so two
 * racing creates agree on one node. `params` are every create parameter the client sent except checksum.
 */
export type MeetingPlaced = {
  type: 'MeetingPlaced';
  data: MeetingIdentity & {
    nodeId: string;
    nodeMeetingID: string;
    params: Record<string, string>;
    body: CreateBodyRef | null;
  };
};

/** What a node answers to a create, as the meeting's state keeps it. */
export type CreatedOnNode = {
  internalMeetingID: string;
  createTime: number;
  attendeePW: string | null;
  moderatorPW: string | null;
  voiceBridge: string;
  dialNumber: string;
};

/** The node's answer as MeetingCreated and MeetingMoved record it. */
export type NodeAnswer = CreatedOnNode & {
  nodeMeetingID: string;
  name: string;
  /** `meta_*` create parameters, keys lower-cased without the prefix, as BBB stores them. */
  metadata: Record<string, string>;
};

/**
 * The node created it; the values are the node's answer. `params` are the create parameters the node got
 * (after the tenant's parameter rules; checksum excluded, meetingID as the client sent it); null in events
 * written before schema v2 (MeetingPlaced has them there).
 */
export type MeetingCreated = {
  type: 'MeetingCreated';
  data: MeetingIdentity & { nodeId: string } & NodeAnswer & { params: Record<string, string> | null };
};

/** `checksumError`: the node refused our signature, so its registered secret or algorithm is wrong. */
export type CreateFailureReason = 'timeout' | 'connection' | 'http' | 'badXml' | 'checksumError' | 'nodeError';

/** The node did not create it. After `nodeError` (the node refused the request itself) nobody retries. */
export type MeetingCreateFailed = {
  type: 'MeetingCreateFailed';
  data: MeetingIdentity & { nodeId: string; reason: CreateFailureReason; detail: string };
};

/** `serverTagUnavailable`: nodes were available, none with a tag the create required (`meta_server-tag=a!`). */
export type CreateAbandonReason = 'noNodeAvailable' | 'nodeRefused' | 'serverTagUnavailable';

/** This attempt to create the meeting is over without a meeting; the next create starts afresh. */
export type MeetingCreateAbandoned = {
  type: 'MeetingCreateAbandoned';
  data: MeetingIdentity & { reason: CreateAbandonReason; triedNodeIds: string[] };
};

/**
 * A create refused before any node was asked, because no eligible node had room under its capacity
 * (`serverFull`); `detail` has each node's numbers. The meeting stays (or becomes) idle.
 */
export type MeetingCreateRefused = {
  type: 'MeetingCreateRefused';
  data: MeetingIdentity & { reason: 'serverFull'; detail: string };
};

export type JoinRole = 'MODERATOR' | 'VIEWER';

/** Joins sent to a meeting, by role. */
export type JoinCounts = { moderators: number; viewers: number };

/**
 * People were sent to the meeting: the joins of one recording window (JOIN_RECORD_WINDOW_MS), counted by
 * role, first at `from`, last at `to`. Counts only: no name, no user id. Schema v1 was one event per join
 * (`role`, `at`); the catalogue reads it as a window of one.
 */
export type MeetingJoined = {
  type: 'MeetingJoined';
  data: MeetingIdentity & { moderators: number; viewers: number; from: string; to: string };
};

/** `failover`: its node went offline and no other node could take it (the evidence says why). */
export type MeetingEndReason = 'api' | 'node' | 'reconciliation' | 'limit' | 'failover';

/** Why reconciliation (or the node) says a meeting is over: what the poll saw, for the audit trail. */
export type EndEvidence = {
  /** When the poll that saw it started (our clock). */
  observedAt: string;
  /** When a poll last listed it; null if none did since we created it. */
  lastSeenAt: string | null;
  detail: string;
};

/** `evidence` is set for the reasons `node`, `reconciliation` and `failover`, null otherwise. */
export type MeetingEnded = {
  type: 'MeetingEnded';
  data: MeetingIdentity & { nodeId: string | null; reason: MeetingEndReason; evidence: EndEvidence | null };
};

/** Counts only, as a poll of the node saw them; appended only when they changed. */
export type MeetingCounts = {
  participantCount: number;
  moderatorCount: number;
  listenerCount: number;
  voice: number;
  video: number;
  running: boolean;
};

export type MeetingParticipantsChanged = {
  type: 'MeetingParticipantsChanged';
  data: MeetingIdentity & MeetingCounts & { nodeId: string; at: string };
};

/** Why a running meeting was re-created elsewhere. */
export type MoveCause = 'nodeOffline';

/**
 * Failover re-created the running meeting on `to` from its stored create parameters and body, under the same
 * node meeting ID and passwords: the frontend's meetingID stays, joins go to `to` from now on. The values are
 * `to`'s answer, as in MeetingCreated (name and metadata repeated so read models take the event alone).
 */
export type MeetingMoved = {
  type: 'MeetingMoved';
  data: MeetingIdentity & { from: string; to: string; cause: MoveCause } & NodeAnswer;
};

export type MeetingEvent =
  | MeetingPlaced
  | MeetingCreated
  | MeetingCreateFailed
  | MeetingCreateAbandoned
  | MeetingCreateRefused
  | MeetingJoined
  | MeetingParticipantsChanged
  | MeetingMoved
  | MeetingEnded;

export const MEETING_EVENT_TYPES: readonly MeetingEvent['type'][] = [
  'MeetingPlaced',
  'MeetingCreated',
  'MeetingCreateFailed',
  'MeetingCreateAbandoned',
  'MeetingCreateRefused',
  'MeetingJoined',
  'MeetingParticipantsChanged',
  'MeetingMoved',
  'MeetingEnded',
];
