import { createHash, randomInt } from 'node:crypto';
import { javaDateString } from '../domain/bbb/javaDate.js';
import type { BbbAttendee, BbbMeeting } from '../domain/bbb/responses.js';

/** One meeting as a simulated BBB node keeps it: the BBB view plus what tests want to inspect. */
export interface SimulatedMeeting extends BbbMeeting {
  createParams: Record<string, string>;
  /** The raw POST body of create (pre-uploaded documents), exactly as received. */
  createBody: string | undefined;
  insertedDocuments: string[];
  chatMessages: Array<{ userName: string; message: string }>;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export function randomAlnum(length: number): string {
  return Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
}

export function newMeeting(params: Record<string, string>, body: string | undefined, now: number): SimulatedMeeting {
  const meetingID = params.meetingID ?? '';
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (/^meta_[a-zA-Z][a-zA-Z0-9-]*$/.test(key)) metadata[key.slice(5).toLowerCase()] = value;
  }
  return {
    meetingName: params.name ?? '',
    meetingID,
    internalMeetingID: `${createHash('sha1').update(meetingID).digest('hex')}-${now}`,
    createTime: now,
    createDate: javaDateString(now),
    voiceBridge: params.voiceBridge ?? String(randomInt(10000, 99999)),
    dialNumber: params.dialNumber ?? '613-555-1234',
    attendeePW: params.attendeePW ?? randomAlnum(8),
    moderatorPW: params.moderatorPW ?? randomAlnum(8),
    running: false,
    duration: Number(params.duration ?? 0) || 0,
    hasUserJoined: false,
    recording: false,
    hasBeenForciblyEnded: false,
    startTime: now,
    endTime: 0,
    participantCount: 0,
    listenerCount: 0,
    voiceParticipantCount: 0,
    videoCount: 0,
    maxUsers: Number(params.maxParticipants ?? 0) || 0,
    moderatorCount: 0,
    attendees: [],
    metadata,
    isBreakout: params.isBreakout === 'true',
    createParams: { ...params },
    createBody: body,
    insertedDocuments: [],
    chatMessages: [],
  };
}

export function addAttendee(meeting: SimulatedMeeting, attendee: Omit<BbbAttendee, 'isPresenter' | 'isListeningOnly' | 'hasJoinedVoice' | 'hasVideo' | 'clientType'> & Partial<BbbAttendee>): void {
  meeting.attendees.push({
    isPresenter: false,
    isListeningOnly: false,
    hasJoinedVoice: false,
    hasVideo: false,
    clientType: 'HTML5',
    ...attendee,
  });
  recount(meeting);
}

export function removeAttendee(meeting: SimulatedMeeting, userID: string): void {
  meeting.attendees = meeting.attendees.filter((a) => a.userID !== userID);
  recount(meeting);
}

/** BBB derives these from the user list; keeping them derived here keeps the simulator honest. */
function recount(meeting: SimulatedMeeting): void {
  const a = meeting.attendees;
  meeting.participantCount = a.length;
  meeting.moderatorCount = a.filter((x) => x.role === 'MODERATOR').length;
  meeting.listenerCount = a.filter((x) => x.isListeningOnly).length;
  meeting.voiceParticipantCount = a.filter((x) => x.hasJoinedVoice).length;
  meeting.videoCount = a.filter((x) => x.hasVideo).length;
  if (a.length > 0) meeting.hasUserJoined = true;
  meeting.running = a.length > 0;
}
