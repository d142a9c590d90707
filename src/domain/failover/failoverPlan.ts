import { withoutRecordingReadyUrls } from '../delivery/recordingReady.js';
import type { EndEvidence } from '../meeting/events.js';
import type { MeetingState } from '../meeting/state.js';
import type { LoadWeights } from '../placement/loadModel.js';
import type { PlacementNode, PlacementRequest } from '../placement/placement.js';
import { rankNodes } from '../placement/placementChain.js';
import type { Reservation } from '../placement/reservations.js';
import { parseServerTag } from '../placement/serverTag.js';

export type RunningMeeting = Extract<MeetingState, { status: 'running' }>;

/** What one failover of one meeting knows when it starts: the node that went offline, and which time it did. */
export interface FailoverTrigger {
  from: string;
  /** `<nodeId>#offline<k>`: the k-th offline transition of the node in the log, the same at every replay. */
  offlineId: string;
}

/** Why a meeting is left alone: failover is idempotent, so being too late is the normal case after a restart. */
export type FailoverSkip = 'notRunning' | 'notOnThatNode' | 'nodeBackOnline';

/** Is this meeting still failover's to move? Read from the meeting's own stream just before the node call. */
export function needsMove(state: MeetingState, trigger: FailoverTrigger, fromStillOffline: boolean): { move: RunningMeeting } | { skip: FailoverSkip } {
  if (state.status !== 'running') return { skip: 'notRunning' };
  if (state.nodeId !== trigger.from) return { skip: 'notOnThatNode' };
  if (!fromStillOffline) return { skip: 'nodeBackOnline' };
  return { move: state };
}

/** Stable per (meeting, incarnation, offline transition): a restarted saga repeats the same commands, appending nothing new. */
export function failoverCommandId(meeting: RunningMeeting, trigger: FailoverTrigger): string {
  return `failover/${meeting.nodeMeetingID}/${meeting.incarnations}/${trigger.offlineId}`;
}

export interface FailoverPlacement {
  nodes: readonly PlacementNode[];
  /** The tenant's required tags (its hardware pool). */
  tenantTags: readonly string[];
  reservations: readonly Reservation[];
  now: number;
  weights: LoadWeights;
}

/**
 * The placement chain as a create would run it, without the dead node and with the create's own
 * `meta_server-tag`: required tags stay required (a meeting pinned to a pool is not moved out of it),
 * preferred ones rank first. Best first; empty means nobody can take it.
 */
export function failoverCandidates(meeting: RunningMeeting, from: string, placement: FailoverPlacement): PlacementNode[] {
  const tags = parseServerTag(meeting.params['meta_server-tag']);
  const request: PlacementRequest = {
    exclude: [from],
    requiredTags: [...new Set([...placement.tenantTags, ...tags.required])],
    preferredTags: tags.preferred,
    reservations: placement.reservations,
    now: placement.now,
  };
  return rankNodes(placement.nodes, request, placement.weights);
}

/**
 * The create the new node gets: the client's parameters in the order sent, under the node meeting ID, with
 * the passwords the first node answered when the client let BBB choose them, so joins signed with those
 * passwords still work. The voice bridge is kept only when the client chose it: a bridge the first node
 * picked may be taken on the new one. The recording-ready URL is bbb-ledger's to call, never the node's.
 */
export function recreateParams(meeting: RunningMeeting): Array<[string, string]> {
  const params: Array<[string, string]> = withoutRecordingReadyUrls(Object.entries(meeting.params)).map(([k, v]) => [k, k === 'meetingID' ? meeting.nodeMeetingID : v]);
  const { attendeePW, moderatorPW } = meeting.created;
  if (attendeePW !== null && meeting.params.attendeePW === undefined) params.push(['attendeePW', attendeePW]);
  if (moderatorPW !== null && meeting.params.moderatorPW === undefined) params.push(['moderatorPW', moderatorPW]);
  return params;
}

/** One node that was asked and did not create it. */
export interface FailedAttempt {
  nodeId: string;
  detail: string;
}

/** The clear reason of a failover that found no home: which node died, who was asked, what they said. */
export function noHomeEvidence(trigger: FailoverTrigger, attempts: readonly FailedAttempt[], requiredTags: readonly string[], now: Date): EndEvidence {
  const asked = attempts.map((a) => `${a.nodeId} (${a.detail})`).join(', ');
  const pool = requiredTags.length > 0 ? ` carrying ${requiredTags.join(', ')}` : '';
  const detail =
    attempts.length === 0
      ? `node ${trigger.from} went offline and no other available node${pool} could take the meeting`
      : `node ${trigger.from} went offline and no other node could re-create the meeting: ${asked}`;
  return { observedAt: now.toISOString(), lastSeenAt: null, detail };
}

/** The tags a failover's candidates must carry, for the evidence. */
export function requiredTagsOf(meeting: RunningMeeting, tenantTags: readonly string[]): string[] {
  return [...new Set([...tenantTags, ...parseServerTag(meeting.params['meta_server-tag']).required])];
}
