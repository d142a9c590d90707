import { meetingDecider } from '../domain/meeting/decider.js';
import { MEETING_STREAM_PREFIX } from '../domain/streams.js';
import { javaDateString } from '../domain/bbb/javaDate.js';
import type { BbbMeeting } from '../domain/bbb/responses.js';
import type { MeetingCounts } from '../domain/meeting/events.js';
import type { Position, RecordedEvent } from '../eventstore/port.js';
import type { ProjectionDefinition } from './projection.js';

/** A running meeting: where it runs (the routing of join and friends) and what getMeetings shows of it. */
export interface MeetingListEntry {
  tenant: string;
  scope: string;
  /** As the client knows it. */
  meetingID: string;
  nodeId: string;
  /** Its name on the node; also the read model's key. */
  nodeMeetingID: string;
  name: string;
  internalMeetingID: string;
  createTime: number;
  voiceBridge: string;
  dialNumber: string;
  attendeePW: string | null;
  moderatorPW: string | null;
  metadata: Record<string, string>;
}

/** Joins are counted since the last poll's counts (all of them before the first poll reported). */
export interface MeetingView extends MeetingListEntry {
  moderatorJoins: number;
  viewerJoins: number;
  /** From the last MeetingParticipantsChanged; null before the node was polled with it running. */
  counts: MeetingCounts | null;
}

/**
 * The view of an entry with its joins and counts, every field written out: `{ ...entry, moderatorJoins, … }`
 * takes a slow path in Node 20's V8 (a spread followed by new properties, ~2–3 µs), once per meeting listed.
 */
export function meetingViewOf(entry: MeetingListEntry, moderatorJoins: number, viewerJoins: number, counts: MeetingCounts | null): MeetingView {
  const { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW, metadata } = entry;
  return { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW, metadata, moderatorJoins, viewerJoins, counts };
}

/**
 * Set-like operations, so applying one twice leaves the same model: joins are kept per event position and
 * summed, never incremented. `putRunning` clears the joins of an earlier incarnation.
 */
export type MeetingListOp =
  | { op: 'putRunning'; entry: MeetingListEntry }
  /**
   * The joins of one MeetingJoined, keyed by its position: a replayed event replaces, never adds. `at` is when
   * the window's last join happened: a poll taken later (appended earlier: joins wait for their window) has them.
   */
  | { op: 'join'; nodeMeetingID: string; position: Position; moderators: number; viewers: number; at: string }
  /** Replaces the counts and forgets the joins counted so far: the poll, taken at `at`, saw those users already. */
  | { op: 'counts'; nodeMeetingID: string; counts: MeetingCounts; at: string }
  | { op: 'remove'; nodeMeetingID: string; tenant: string; scope: string };

/** The read side the BBB handlers depend on; Redis and in-process implementations. */
export interface MeetingReadModel {
  /** A running meeting by its node meeting ID (`nodeMeetingIdOf(scope, meetingID)`). */
  find(nodeMeetingID: string): Promise<MeetingView | undefined>;
  /**
   * The running meetings a scope sees, by create time: sub 0 (`scope === tenant`) sees every meeting of its
   * tenant, like B3LB; `acme-007` only its own.
   */
  list(tenant: string, scope: string): Promise<readonly MeetingView[]>;
  /**
   * A number that changes whenever any list of the tenant may have: getMeetings keeps its rendered answer under it
   * (src/http/bbb/meetingsAnswerCache.ts). Undefined when the model cannot tell: every answer is rendered afresh.
   */
  listVersion(tenant: string): number | undefined;
}

export function projectMeetingList(recorded: RecordedEvent): MeetingListOp[] {
  // Narrowed to meeting events (anything else throws), so the switch stays exhaustive as the catalogue grows.
  const event = meetingDecider.decode(recorded);
  switch (event.type) {
    case 'MeetingCreated': {
      const { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber } = event.data;
      const { attendeePW, moderatorPW, metadata } = event.data;
      const entry = { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW, metadata };
      return [{ op: 'putRunning', entry }];
    }
    // Failover: the same meeting from now on on `to`, as the node answered; counts and joins start afresh there.
    case 'MeetingMoved': {
      const { tenant, scope, meetingID, to, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber } = event.data;
      const { attendeePW, moderatorPW, metadata } = event.data;
      const entry = { tenant, scope, meetingID, nodeId: to, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW, metadata };
      return [{ op: 'putRunning', entry }];
    }
    case 'MeetingJoined': {
      const { scope, meetingID, moderators, viewers, to } = event.data;
      return [{ op: 'join', nodeMeetingID: nodeMeetingIdFromStream(recorded, scope, meetingID), position: recorded.position, moderators, viewers, at: to }];
    }
    case 'MeetingParticipantsChanged': {
      const { scope, meetingID, participantCount, moderatorCount, listenerCount, voice, video, running, at } = event.data;
      const counts = { participantCount, moderatorCount, listenerCount, voice, video, running };
      return [{ op: 'counts', nodeMeetingID: nodeMeetingIdFromStream(recorded, scope, meetingID), counts, at }];
    }
    case 'MeetingEnded':
    case 'MeetingCreateAbandoned': {
      const { tenant, scope, meetingID } = event.data;
      return [{ op: 'remove', nodeMeetingID: nodeMeetingIdFromStream(recorded, scope, meetingID), tenant, scope }];
    }
    // Not running yet, or not any more than before: invisible to join and getMeetings.
    case 'MeetingPlaced':
    case 'MeetingCreateFailed':
    case 'MeetingCreateRefused':
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The stream id is `meeting-<nodeMeetingID>` by construction; hashing again would cost every join a sha1. */
function nodeMeetingIdFromStream(recorded: RecordedEvent, scope: string, meetingID: string): string {
  const key = recorded.streamId.slice(MEETING_STREAM_PREFIX.length);
  if (!recorded.streamId.startsWith(MEETING_STREAM_PREFIX) || !key.startsWith(`${scope}-`)) {
    throw new Error(`meeting ${scope}/${meetingID} is in the unexpected stream ${recorded.streamId}`);
  }
  return key;
}

export const meetingListProjection: ProjectionDefinition<MeetingListOp> = {
  name: 'meetingList',
  filter: { streamPrefixes: [MEETING_STREAM_PREFIX] },
  project: projectMeetingList,
};

export function byCreateTime(a: MeetingView, b: MeetingView): number {
  return a.createTime - b.createTime || (a.meetingID < b.meetingID ? -1 : a.meetingID > b.meetingID ? 1 : 0);
}

/**
 * The BBB `<meeting>` view. Counts are the last poll's plus the joins sent there since (nobody has left as
 * far as this model knows); attendees stay empty: names never enter the log.
 */
export function bbbMeetingOf(view: MeetingView): BbbMeeting {
  const { counts } = view;
  const participants = (counts?.participantCount ?? 0) + view.moderatorJoins + view.viewerJoins;
  const running = participants > 0 || counts?.running === true;
  return {
    meetingName: view.name,
    meetingID: view.meetingID,
    internalMeetingID: view.internalMeetingID,
    createTime: view.createTime,
    createDate: javaDateString(view.createTime),
    voiceBridge: view.voiceBridge,
    dialNumber: view.dialNumber,
    ...(view.attendeePW ? { attendeePW: view.attendeePW } : {}),
    ...(view.moderatorPW ? { moderatorPW: view.moderatorPW } : {}),
    running,
    duration: 0,
    hasUserJoined: running,
    recording: false,
    hasBeenForciblyEnded: false,
    startTime: view.createTime,
    endTime: 0,
    participantCount: participants,
    listenerCount: counts?.listenerCount ?? 0,
    voiceParticipantCount: counts?.voice ?? 0,
    videoCount: counts?.video ?? 0,
    maxUsers: 0,
    moderatorCount: (counts?.moderatorCount ?? 0) + view.moderatorJoins,
    attendees: [],
    metadata: { ...view.metadata },
    isBreakout: false,
  };
}
