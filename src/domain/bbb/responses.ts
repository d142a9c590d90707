import { XMLBuilder } from 'fast-xml-parser';

/** The XML bodies a BBB 2.6–3.0 server answers, element for element in bbb-web's template order. */

export interface BbbAttendee {
  userID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  isPresenter: boolean;
  isListeningOnly: boolean;
  hasJoinedVoice: boolean;
  hasVideo: boolean;
  clientType: string;
  customdata: Record<string, string>;
}

export interface BbbMeeting {
  meetingName: string;
  meetingID: string;
  internalMeetingID: string;
  createTime: number;
  createDate: string;
  voiceBridge: string;
  dialNumber: string;
  attendeePW?: string;
  moderatorPW?: string;
  running: boolean;
  duration: number;
  hasUserJoined: boolean;
  recording: boolean;
  hasBeenForciblyEnded: boolean;
  startTime: number;
  endTime: number;
  participantCount: number;
  listenerCount: number;
  voiceParticipantCount: number;
  videoCount: number;
  maxUsers: number;
  moderatorCount: number;
  attendees: BbbAttendee[];
  metadata: Record<string, string>;
  isBreakout: boolean;
}

type XmlNode = string | XmlNode[] | { [element: string]: XmlNode };

const builder = new XMLBuilder({ suppressEmptyNode: true, processEntities: true });

export function renderResponse(children: Record<string, XmlNode>): string {
  return builder.build({ response: children });
}

export function errorResponse(messageKey: string, message: string): string {
  return renderResponse({ returncode: 'FAILED', messageKey, message });
}

export function successResponse(children: Record<string, XmlNode> = {}): string {
  return renderResponse({ returncode: 'SUCCESS', ...children });
}

const text = (value: string | number | boolean): string => String(value);

/** Only the passwords that are set appear, as in the FreeMarker templates. */
function passwords(m: Pick<BbbMeeting, 'attendeePW' | 'moderatorPW'>): Record<string, string> {
  return {
    ...(m.attendeePW ? { attendeePW: m.attendeePW } : {}),
    ...(m.moderatorPW ? { moderatorPW: m.moderatorPW } : {}),
  };
}

function attendeeElement(a: BbbAttendee): XmlNode {
  return {
    userID: a.userID,
    fullName: a.fullName,
    role: a.role,
    isPresenter: text(a.isPresenter),
    isListeningOnly: text(a.isListeningOnly),
    hasJoinedVoice: text(a.hasJoinedVoice),
    hasVideo: text(a.hasVideo),
    clientType: a.clientType,
    customdata: { ...a.customdata },
  };
}

/** The children of getMeetingInfo's `<response>` (after returncode) and of each getMeetings `<meeting>`. */
export function meetingElements(m: BbbMeeting): Record<string, XmlNode> {
  return {
    meetingName: m.meetingName,
    meetingID: m.meetingID,
    internalMeetingID: m.internalMeetingID,
    createTime: text(m.createTime),
    createDate: m.createDate,
    voiceBridge: m.voiceBridge,
    dialNumber: m.dialNumber,
    ...passwords(m),
    running: text(m.running),
    duration: text(m.duration),
    hasUserJoined: text(m.hasUserJoined),
    recording: text(m.recording),
    hasBeenForciblyEnded: text(m.hasBeenForciblyEnded),
    startTime: text(m.startTime),
    endTime: text(m.endTime),
    participantCount: text(m.participantCount),
    listenerCount: text(m.listenerCount),
    voiceParticipantCount: text(m.voiceParticipantCount),
    videoCount: text(m.videoCount),
    maxUsers: text(m.maxUsers),
    moderatorCount: text(m.moderatorCount),
    attendees: m.attendees.length > 0 ? { attendee: m.attendees.map(attendeeElement) } : '',
    metadata: { ...m.metadata },
    isBreakout: text(m.isBreakout),
  };
}

export function meetingInfoResponse(m: BbbMeeting): string {
  return successResponse(meetingElements(m));
}

export function meetingsResponse(meetings: BbbMeeting[]): string {
  if (meetings.length === 0) {
    return successResponse({ meetings: '', messageKey: 'noMeetings', message: 'no meetings were found on this server' });
  }
  return successResponse({ meetings: { meeting: meetings.map(meetingElements) } });
}

/** One `<meeting>…</meeting>` of a getMeetings answer, exactly as meetingsResponse writes it. */
export function meetingXml(m: BbbMeeting): string {
  return builder.build({ meeting: meetingElements(m) });
}

/** meetingsResponse from `<meeting>` elements already rendered by meetingXml (cached by the caller). */
export function meetingsResponseOf(meetingXmls: readonly string[]): string {
  if (meetingXmls.length === 0) return meetingsResponse([]);
  return `<response><returncode>SUCCESS</returncode><meetings>${meetingXmls.join('')}</meetings></response>`;
}

export function createResponse(m: BbbMeeting, warning?: { messageKey: string; message: string }): string {
  return successResponse({
    meetingID: m.meetingID,
    internalMeetingID: m.internalMeetingID,
    parentMeetingID: 'bbb-none',
    ...passwords(m),
    createTime: text(m.createTime),
    voiceBridge: m.voiceBridge,
    dialNumber: m.dialNumber,
    createDate: m.createDate,
    hasUserJoined: text(m.hasUserJoined),
    duration: text(m.duration),
    hasBeenForciblyEnded: text(m.hasBeenForciblyEnded),
    messageKey: warning?.messageKey ?? '',
    message: warning?.message ?? '',
  });
}

export const DUPLICATE_WARNING = {
  messageKey: 'duplicateWarning',
  message: 'This conference was already in existence and may currently be in progress.',
} as const;

export const END_SENT_MESSAGE =
  'A request to end the meeting was sent.  Please wait a few seconds, and then use the getMeetingInfo or isMeetingRunning API calls to verify that it was ended.';
