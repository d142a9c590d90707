import {
  createResponse,
  DUPLICATE_WARNING,
  END_SENT_MESSAGE,
  errorResponse,
  meetingInfoResponse,
  meetingsResponse,
  renderResponse,
  successResponse,
} from '../domain/bbb/responses.js';
import { addAttendee, newMeeting, randomAlnum, type SimulatedMeeting } from './simulatedMeetings.js';

export interface SimulatorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SimulatorRequest {
  call: string;
  method: string;
  params: Record<string, string>;
  body: string | undefined;
  /** `http://host:port` of the simulator, for the client URL join redirects to. */
  origin: string;
  now: number;
}

const xml = (body: string): SimulatorReply => ({
  status: 200,
  headers: { 'content-type': 'text/xml;charset=utf-8', 'cache-control': 'no-cache' },
  body,
});
const redirect = (location: string): SimulatorReply => ({ status: 302, headers: { location }, body: '' });
const notFound = () => xml(errorResponse('notFound', 'A meeting with that ID does not exist'));

/** bbb-web's answers for the calls a load balancer forwards, with bbb-web's validation keys and messages. */
export function answer(meetings: Map<string, SimulatedMeeting>, req: SimulatorRequest): SimulatorReply {
  const { params } = req;
  const meeting = params.meetingID !== undefined ? meetings.get(params.meetingID) : undefined;
  switch (req.call) {
    case '':
      return xml(successResponse({ version: '2.0', apiVersion: '2.0', bbbVersion: '' }));
    case 'create':
      return create(meetings, req);
    case 'join':
      return join(meeting, req);
    case 'end':
      if (!meeting) return notFound();
      meetings.delete(meeting.meetingID);
      return xml(successResponse({ messageKey: 'sentEndMeetingRequest', message: END_SENT_MESSAGE }));
    case 'isMeetingRunning':
      return xml(successResponse({ running: String(meeting?.running ?? false) }));
    case 'getMeetingInfo':
      return meeting ? xml(meetingInfoResponse(meeting)) : notFound();
    case 'getMeetings':
      return xml(meetingsResponse([...meetings.values()]));
    case 'insertDocument':
      if (!meeting) return xml(renderResponse({ returncode: 'FAILED', message: `Meeting with id [${params.meetingID ?? ''}] not found.` }));
      meeting.insertedDocuments.push(req.body ?? '');
      return xml(successResponse({ message: 'Presentation is being uploaded' }));
    case 'sendChatMessage': {
      if (!meeting?.running) return xml(errorResponse('meetingNotFound', 'Meeting not found'));
      const message = params.message ?? '';
      if (message.length < 1 || message.length > 500) {
        return xml(errorResponse('sizeError', 'Param message must be between 1 and 500 characters'));
      }
      meeting.chatMessages.push({ userName: params.userName ?? 'System', message });
      return xml(successResponse({ messageKey: '', message: '' }));
    }
    default:
      return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Not Found</body></html>' };
  }
}

function create(meetings: Map<string, SimulatedMeeting>, req: SimulatorRequest): SimulatorReply {
  const { params } = req;
  if (params.name === undefined) return xml(errorResponse('nullError', 'You must provide a meeting name'));
  const id = params.meetingID;
  if (id === undefined) return xml(errorResponse('validationError', 'Invalid meeting ID'));
  if (id === '') return xml(errorResponse('missingParamMeetingID', 'You must provide a meeting ID'));
  if (id.length < 2 || id.length > 256) return xml(errorResponse('sizeError', 'Meeting ID must be between 2 and 256 characters'));
  if (id.includes(',')) return xml(errorResponse('validationError', "Meeting ID cannot contain ','"));
  const existing = meetings.get(id);
  if (existing) {
    const samePasswords = params.attendeePW === existing.attendeePW && params.moderatorPW === existing.moderatorPW;
    const noPasswords = params.attendeePW === undefined && params.moderatorPW === undefined;
    if (samePasswords || noPasswords) return xml(createResponse(existing, DUPLICATE_WARNING));
    return xml(errorResponse('idNotUnique', 'A meeting already exists with that meeting ID.  Please use a different meeting ID.'));
  }
  const meeting = newMeeting(params, req.body, req.now);
  meetings.set(id, meeting);
  return xml(createResponse(meeting));
}

function join(meeting: SimulatedMeeting | undefined, req: SimulatorRequest): SimulatorReply {
  const { params } = req;
  const redirectWanted = params.redirect !== 'false';
  const fail = (key: string, message: string): SimulatorReply => {
    if (!redirectWanted) return xml(errorResponse(key, message));
    const target = new URL(params.errorRedirectUrl ?? params.logoutURL ?? `${req.origin}/`);
    target.searchParams.set('errors', JSON.stringify([{ key, message }]));
    return redirect(target.toString());
  };
  if (!params.fullName) return fail('missingParamFullName', 'You must provide your name');
  if (!meeting) {
    // bbb-web reports this key for unknown meetings too (HashMap order; seen in bigbluebutton#22979).
    return fail('meetingForciblyEnded', 'You can not join a meeting that has already been forcibly ended');
  }
  const role = resolveRole(meeting, params);
  if (!role) return xml(errorResponse('Params required', 'You must enter a valid password'));
  if (meeting.maxUsers > 0 && meeting.participantCount >= meeting.maxUsers) {
    return fail('maxParticipantsReached', 'The number of participants allowed for this meeting has been reached.');
  }
  const userID = params.userID ?? `w_${randomAlnum(12).toLowerCase()}`;
  const customdata: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (key.startsWith('userdata-')) customdata[key.slice(9)] = value;
  addAttendee(meeting, { userID, fullName: params.fullName, role, customdata });
  const sessionToken = randomAlnum(16).toLowerCase();
  const url = `${req.origin}/html5client/join?sessionToken=${sessionToken}`;
  if (redirectWanted) return redirect(url);
  return xml(
    successResponse({
      messageKey: 'successfullyJoined',
      message: 'You have joined successfully.',
      meeting_id: meeting.internalMeetingID,
      user_id: userID,
      auth_token: randomAlnum(12).toLowerCase(),
      session_token: sessionToken,
      guestStatus: 'ALLOW',
      url,
    }),
  );
}

function resolveRole(meeting: SimulatedMeeting, params: Record<string, string>): 'MODERATOR' | 'VIEWER' | undefined {
  const role = params.role?.toUpperCase();
  if (role === 'MODERATOR' || role === 'VIEWER') return role;
  if (params.password !== undefined && params.password === meeting.moderatorPW) return 'MODERATOR';
  if (params.password !== undefined && params.password === meeting.attendeePW) return 'VIEWER';
  return undefined;
}
