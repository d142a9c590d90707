import { createMeeting, type CreateMeetingRequest } from '../../commands/workflows/createMeeting.js';
import { sanitize } from '../../domain/bbb/checksum.js';
import { replyError, replyXml, type BbbError } from './bbbReply.js';
import { MEETING_ERRORS, serverTagUnavailable, withClientMeetingId } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';

const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * `create`: validated here as bbb-web 2.5+ would, without calling a node; then placed, forwarded and
 * recorded by createMeeting. The answer is the node's XML with the client's meeting ID.
 */
export async function createCall({ ctx, request, deps, commandContext, caughtUp }: MeetingCall): Promise<void> {
  const { params } = request;
  const refused = createValidationError(params);
  if (refused) return replyError(ctx, refused);
  const meetingID = params.get('meetingID')!;
  // The tenant's meeting limit and create rules, after the checksum and before any node sees the call.
  const verdict = deps.policy.create(request, meetingID, params, String(ctx.state.requestId ?? ''));
  if (verdict.kind === 'refused') return replyError(ctx, verdict.error);
  const xmlBody = request.rawBody !== undefined && request.contentType !== undefined && XML_TYPES.includes(request.contentType);
  const transport: CreateMeetingRequest['transport'] = xmlBody
    ? { kind: 'xml', bytes: request.rawBody!, contentType: request.contentType! }
    : { kind: 'query' };
  const endCallbacks = deps.endCallbackKey ? { key: deps.endCallbackKey, origin: deps.publicUrl ?? `${ctx.protocol}://${ctx.host}` } : undefined;
  const outcome = await createMeeting(
    deps,
    { tenant: request.tenant, scope: request.scope, meetingID, params: [...verdict.params], transport, ...(endCallbacks ? { endCallbacks } : {}) },
    commandContext,
  );
  if (outcome.kind === 'noNodeAvailable') return replyError(ctx, MEETING_ERRORS.noServers);
  if (outcome.kind === 'serverTagUnavailable') return replyError(ctx, serverTagUnavailable(outcome.tags));
  if (outcome.kind === 'serverFull') return replyError(ctx, MEETING_ERRORS.serverFull);
  if (outcome.kind === 'nodeUnreachable') return replyError(ctx, MEETING_ERRORS.createFailed);
  // An immediate join must find the meeting: answer only once the routing read model has it.
  await caughtUp(outcome.position);
  replyXml(ctx, withClientMeetingId(outcome.xml, outcome.nodeMeetingID, meetingID));
}

const BOOLEAN = /^(true|false|0|1)$/i;

/**
 * bbb-web's create validation. It collects violations in a HashMap keyed by messageKey and reports the first
 * in iteration order, which for these keys is: emptyError, invalidPassword, sizeError, nullError,
 * validationError, missingParamMeetingID (Java String.hashCode buckets; reference §3.4). Only after all pass
 * does the controller refuse a missing or unsanitary meeting ID.
 */
export function createValidationError(params: ReadonlyMap<string, string>): BbbError | undefined {
  const name = params.get('name');
  const meetingID = params.get('meetingID');
  const violations = new Map<string, string>();
  const violate = (key: string, message: string) => {
    if (!violations.has(key)) violations.set(key, message);
  };
  if (name === undefined) violate('nullError', 'You must provide a meeting name');
  else {
    if (name === '') violate('emptyError', 'You must provide a meeting name');
    if (name.length < 2 || name.length > 256) violate('sizeError', 'Meeting name must be between 2 and 256 characters');
  }
  if (meetingID !== undefined) {
    if (meetingID === '') violate('missingParamMeetingID', 'You must provide a meeting ID');
    if (meetingID.length < 2 || meetingID.length > 256) violate('sizeError', 'Meeting ID must be between 2 and 256 characters');
    if (meetingID.includes(',')) violate('validationError', "Meeting ID cannot contain ','");
  }
  for (const key of ['attendeePW', 'moderatorPW']) {
    const password = params.get(key);
    if (password !== undefined && (password.length < 2 || password.length > 64)) violate('invalidPassword', 'Invalid password');
  }
  const record = params.get('record');
  if (record !== undefined && !BOOLEAN.test(record)) violate('validationError', 'Record must be a boolean value (true or false)');
  const voiceBridge = params.get('voiceBridge');
  if (voiceBridge !== undefined && !/^-?\d+$/.test(voiceBridge)) violate('validationError', 'Voice bridge must be an integral value');
  for (const key of ['emptyError', 'invalidPassword', 'sizeError', 'nullError', 'validationError', 'missingParamMeetingID']) {
    const message = violations.get(key);
    if (message !== undefined) return { key, message };
  }
  if (meetingID === undefined || sanitize(meetingID) !== meetingID) return { key: 'validationError', message: 'Invalid meeting ID' };
  return undefined;
}
