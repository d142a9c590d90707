import type { CreateBodyRef, CreateFailureReason, EndEvidence, MeetingEndReason, MeetingIdentity, MoveCause } from './events.js';
import type { CreatedOnNode } from './state.js';

/** What the BBB API (and later the sagas) ask of a meeting. Node choices come in the data: decide is pure. */

/**
 * Place the meeting on the first of `candidates` (node ids, best first) that has not failed it yet. A meeting
 * already placed or running stays where it is: the command then decides nothing and the caller reads the
 * node from the state.
 */
export type PlaceMeeting = {
  type: 'PlaceMeeting';
  data: MeetingIdentity & {
    nodeMeetingID: string;
    params: Record<string, string>;
    body: CreateBodyRef | null;
    candidates: string[];
    /** Why `candidates` is empty, when placement knows better than "no node": recorded if nothing is placed. */
    noCandidateReason?: 'serverTagUnavailable' | 'serverFull';
    /** The numbers behind `noCandidateReason` (each full node's load and capacity). */
    noCandidateDetail?: string;
  };
};

export type RecordMeetingCreated = {
  type: 'RecordMeetingCreated';
  data: MeetingIdentity & { nodeId: string } & CreatedOnNode;
};

export type RecordMeetingCreateFailed = {
  type: 'RecordMeetingCreateFailed';
  data: MeetingIdentity & { nodeId: string; reason: CreateFailureReason; detail: string };
};

export type EndMeeting = { type: 'EndMeeting'; data: MeetingIdentity & { reason: MeetingEndReason } };

/**
 * From reconciliation: the incarnation created on `nodeId` as `internalMeetingID` is no longer on the node.
 * Ends only that incarnation, so a poll that raced with a new create of the same meeting ends nothing.
 */
export type RecordMeetingGoneFromNode = {
  type: 'RecordMeetingGoneFromNode';
  data: MeetingIdentity & { nodeId: string; internalMeetingID: string; reason: 'node' | 'reconciliation'; evidence: EndEvidence };
};

/**
 * From failover: incarnation `incarnation`, running on `from`, was re-created on `to`, which answered
 * `created`. Moves nothing when the meeting has since ended, moved or started a new incarnation.
 */
export type MoveMeeting = {
  type: 'MoveMeeting';
  data: MeetingIdentity & { incarnation: number; from: string; to: string; cause: MoveCause; created: CreatedOnNode };
};

/** From failover: no node could take incarnation `incarnation` off `from`; `evidence.detail` says why. */
export type EndMeetingAfterFailover = {
  type: 'EndMeetingAfterFailover';
  data: MeetingIdentity & { incarnation: number; from: string; evidence: EndEvidence };
};

/**
 * From the node, through an end callback URL we gave it for incarnation `incarnation`: ends only that
 * incarnation, so a late callback never ends a newer create of the same meeting.
 */
export type EndMeetingByCallback = {
  type: 'EndMeetingByCallback';
  data: MeetingIdentity & { incarnation: number; detail: string };
};

export type MeetingCommand = EndMeetingByCallback | PlaceMeeting | RecordMeetingCreated | RecordMeetingCreateFailed | EndMeeting | RecordMeetingGoneFromNode | MoveMeeting | EndMeetingAfterFailover;
