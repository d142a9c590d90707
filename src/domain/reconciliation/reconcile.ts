import type { NodeMeeting } from '../bbb/getMeetingsResponse.js';
import type { EndEvidence, MeetingCounts, MeetingIdentity } from '../meeting/events.js';
import type { UnknownMeetingExplanation } from '../node/events.js';

/** One of our meetings on a node, as the log says. */
export interface OurMeeting extends MeetingIdentity {
  nodeMeetingID: string;
  /** `placing`: the create is in flight, so the node may or may not have it yet: never judged. */
  status: 'placing' | 'running';
  internalMeetingID: string | null;
  /** When we learnt of this incarnation (ms, our clock): the grace period counts from here. */
  since: number;
  /** The counts last reported for it; null before the first. */
  counts: MeetingCounts | null;
  /** When the last join was sent there (ms, the join's own time); null before any. */
  lastJoinAt: number | null;
}

/**
 * `graceMs` (`RECONCILE_GRACE_MS`): how long after we learnt of a meeting its absence from the node is
 * still taken for a race (a poll that left before the create arrived) rather than a lost meeting.
 */
export interface ReconcilePolicy {
  graceMs: number;
}

/** What one node's polls remember between them; start with `FRESH_MEMORY`. */
export interface PollMemory {
  /** The node meeting ids the previous poll listed, when it answered; undefined after a failure. */
  previous: { listed: ReadonlySet<string>; at: number } | undefined;
  /** Our meetings' node ids → when a poll last listed them. */
  lastSeen: ReadonlyMap<string, number>;
  /** internalMeetingIDs the previous poll saw that were not ours: reported if the next one sees them too. */
  unknownSeen: ReadonlySet<string>;
}

export const FRESH_MEMORY: PollMemory = { previous: undefined, lastSeen: new Map(), unknownSeen: new Set() };

export interface PollObservation {
  /** When the poll started (ms, our clock). */
  at: number;
  /** The node's answer, or null when the poll failed. */
  meetings: readonly NodeMeeting[] | null;
  /** Health per the log: a meeting is declared lost only while the node is `available`. */
  nodeAvailable: boolean;
}

export interface NodeSide {
  /** Our placing and running meetings on the node, by node meeting id. */
  ours: ReadonlyMap<string, OurMeeting>;
  /** Node meeting ids of meetings that ended in our log while on this node → why, for the explanation. */
  endedHere: ReadonlyMap<string, string>;
  /** internalMeetingIDs already reported as unknown. */
  reported: ReadonlySet<string>;
}

export type Reconciliation =
  | { kind: 'gone'; meeting: OurMeeting & { internalMeetingID: string }; reason: 'node' | 'reconciliation'; evidence: EndEvidence }
  | { kind: 'counts'; meeting: OurMeeting; counts: MeetingCounts }
  | { kind: 'unknown'; meeting: NodeMeeting; explanation: UnknownMeetingExplanation; detail: string };

/**
 * One poll against our log. Ours and listed ended → gone (node). Ours, listed by the previous poll and
 * gone from this one while the node answered both → gone (node): it ended there. Ours and never listed
 * since (or only before a failed poll: the node may have restarted), the node available and the grace
 * over → gone (reconciliation), so a later create of the same meeting starts fresh. Ours running with
 * other counts → counts. Not ours in two polls in a row → unknown, once.
 */
export function reconcile(memory: PollMemory, poll: PollObservation, side: NodeSide, policy: ReconcilePolicy): { memory: PollMemory; decisions: Reconciliation[] } {
  if (poll.meetings === null) return { memory: { ...memory, previous: undefined }, decisions: [] };
  const listed = new Map<string, NodeMeeting>();
  for (const m of poll.meetings) if (!m.isBreakout) listed.set(m.meetingID, m);
  const decisions: Reconciliation[] = [];
  const lastSeen = new Map<string, number>();
  for (const ours of side.ours.values()) {
    const onNode = listed.get(ours.nodeMeetingID);
    if (onNode) lastSeen.set(ours.nodeMeetingID, poll.at);
    else if (memory.lastSeen.has(ours.nodeMeetingID)) lastSeen.set(ours.nodeMeetingID, memory.lastSeen.get(ours.nodeMeetingID)!);
    const decision = judge(ours, onNode, memory, poll, policy);
    if (decision) decisions.push(decision);
  }
  const unknownSeen = new Set<string>();
  for (const m of listed.values()) {
    if (side.ours.has(m.meetingID) || side.reported.has(m.internalMeetingID)) continue;
    unknownSeen.add(m.internalMeetingID);
    // A meeting placed a moment ago may reach this saga after the poll that lists it: wait one poll.
    if (!memory.unknownSeen.has(m.internalMeetingID)) continue;
    const endedHow = side.endedHere.get(m.meetingID);
    decisions.push(
      endedHow === undefined
        ? { kind: 'unknown', meeting: m, explanation: 'notPlacedByUs', detail: `listed by two polls in a row, last at ${iso(poll.at)}; never placed here by us` }
        : { kind: 'unknown', meeting: m, explanation: 'endedHere', detail: `listed at ${iso(poll.at)}, but it ended in our log (${endedHow}); the end did not reach the node` },
    );
  }
  return { memory: { previous: { listed: new Set(listed.keys()), at: poll.at }, lastSeen, unknownSeen }, decisions };
}

function judge(ours: OurMeeting, onNode: NodeMeeting | undefined, memory: PollMemory, poll: PollObservation, policy: ReconcilePolicy): Reconciliation | undefined {
  if (ours.status !== 'running' || ours.internalMeetingID === null) return undefined;
  const meeting = { ...ours, internalMeetingID: ours.internalMeetingID };
  const seen = memory.lastSeen.get(ours.nodeMeetingID);
  const evidence = (detail: string): EndEvidence => ({ observedAt: iso(poll.at), lastSeenAt: seen === undefined ? null : iso(seen), detail });
  if (onNode && onNode.internalMeetingID !== ours.internalMeetingID) {
    return { kind: 'gone', meeting, reason: 'reconciliation', evidence: evidence(`the node runs another incarnation (${onNode.internalMeetingID}) under this ID: it restarted or the meeting was created there again`) };
  }
  if (onNode && onNode.endTime > 0) {
    return { kind: 'gone', meeting, reason: 'node', evidence: evidence(`the node lists it as ended at ${iso(onNode.endTime)}${onNode.hasBeenForciblyEnded ? ' (forcibly)' : ''}`) };
  }
  if (onNode) {
    // A poll that left before a join would count that user out (the read model drops joins on new counts).
    if (ours.lastJoinAt !== null && ours.lastJoinAt >= poll.at) return undefined;
    const counts = countsOf(onNode);
    // Before any count or join, the views already show nobody: a first poll of an empty meeting says nothing new.
    const known = ours.counts ?? (ours.lastJoinAt === null ? NOBODY : null);
    return known && sameCounts(known, counts) ? undefined : { kind: 'counts', meeting: ours, counts };
  }
  if (memory.previous?.listed.has(ours.nodeMeetingID)) {
    return { kind: 'gone', meeting, reason: 'node', evidence: evidence(`listed by the poll at ${iso(memory.previous.at)}, gone from the next one; the node answered both`) };
  }
  if (!poll.nodeAvailable || poll.at - ours.since < policy.graceMs) return undefined;
  const detail = seen === undefined ? 'never listed by the node since we created it' : 'not listed by the node after a failed poll (a restart loses meetings)';
  return { kind: 'gone', meeting, reason: 'reconciliation', evidence: evidence(`${detail}; the node is available and answered without it`) };
}

/** A meeting as BBB lists it between create and the first join. */
const NOBODY: MeetingCounts = { participantCount: 0, moderatorCount: 0, listenerCount: 0, voice: 0, video: 0, running: false };

export function countsOf(m: NodeMeeting): MeetingCounts {
  return {
    participantCount: m.participantCount,
    moderatorCount: m.moderatorCount,
    listenerCount: m.listenerCount,
    voice: m.voiceParticipantCount,
    video: m.videoCount,
    running: m.running,
  };
}

export function sameCounts(a: MeetingCounts, b: MeetingCounts): boolean {
  return (
    a.participantCount === b.participantCount &&
    a.moderatorCount === b.moderatorCount &&
    a.listenerCount === b.listenerCount &&
    a.voice === b.voice &&
    a.video === b.video &&
    a.running === b.running
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();
