import { sanitize } from '../../domain/bbb/checksum.js';
import { signedApiUrl } from '../../domain/bbb/apiUrl.js';
import { nodeMeetingIdOf } from '../../domain/meeting/meetingKey.js';
import type { JoinRole } from '../../domain/meeting/events.js';
import type { MeetingView } from '../../projections/meetingList.js';
import { replyError, replyXml, type BbbError } from './bbbReply.js';
import { MEETING_ERRORS, withClientMeetingId } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';

/**
 * `join`: a 302 to the node's own join URL, re-signed for the node, never proxied (the node must set its
 * session cookie in the browser). With `redirect=false` BBB answers XML, so the call goes to the node and
 * its XML comes back. Errors redirect to errorRedirectUrl/logoutURL with `errors=[…]` like bbb-web, when
 * the client gave one and wants a redirect; otherwise they are XML.
 */
export async function joinCall(call: MeetingCall): Promise<void> {
  const { ctx, request, deps } = call;
  const { params } = request;
  const redirectWanted = params.get('redirect') !== 'false';
  const fail = (error: BbbError) => (redirectWanted ? redirectWithError(call, error) : replyError(ctx, error));
  if (sanitize(params.get('fullName') ?? '') === '') return fail(MEETING_ERRORS.missingFullName);
  const meetingID = params.get('meetingID');
  const nodeMeetingID = meetingID === undefined ? undefined : nodeMeetingIdOf(request.scope, meetingID);
  const meeting = nodeMeetingID === undefined ? undefined : await deps.meetings.find(nodeMeetingID);
  if (!meeting || meetingID === undefined || nodeMeetingID === undefined) return fail(MEETING_ERRORS.forciblyEnded);
  const node = await deps.nodeById(meeting.nodeId);
  if (!node) return replyError(ctx, MEETING_ERRORS.accessFailed);
  const forwarded = [...params].map(([k, v]): [string, string] => [k, k === 'meetingID' ? nodeMeetingID : v]);
  const role = roleOf(params, meeting);
  if (redirectWanted) {
    countJoin(call, meeting, role);
    return redirectToNode(ctx, signedApiUrl(node.apiUrl, 'join', forwarded, node.secret, node.checksumAlgorithm));
  }
  const result = await deps.nodeClient.call(node, 'join', forwarded);
  if (result.kind === 'failed') {
    deps.logger.warn({ nodeId: node.id, reason: result.reason, detail: result.detail }, 'join: node failed');
    return replyError(ctx, MEETING_ERRORS.accessFailed);
  }
  if (result.doc.returncode === 'SUCCESS') countJoin(call, meeting, role);
  replyXml(ctx, withClientMeetingId(result.xml, nodeMeetingID, meetingID));
}

/**
 * A bare 302 like bbb-web's: Koa's `redirect` would negotiate and escape a "Redirecting to" body nobody reads,
 * and re-encode a URL that signedApiUrl already percent-encoded strictly (the node URL is a normalised href).
 */
function redirectToNode(ctx: MeetingCall['ctx'], location: string): void {
  ctx.status = 302;
  ctx.set('Location', location);
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = '';
}

/** bbb-web's role resolution: a valid `role` wins, else the password; an unknown one is the node's to refuse. */
function roleOf(params: ReadonlyMap<string, string>, meeting: MeetingView): JoinRole | undefined {
  const role = params.get('role')?.toUpperCase();
  if (role === 'MODERATOR' || role === 'VIEWER') return role;
  const password = params.get('password');
  if (password !== undefined && password === meeting.moderatorPW) return 'MODERATOR';
  if (password !== undefined && password === meeting.attendeePW) return 'VIEWER';
  return undefined;
}

/** Handed to the join recorder, which appends later: the answer never waits for the event store. */
function countJoin({ ctx, deps }: MeetingCall, meeting: MeetingView, role: JoinRole | undefined): void {
  if (role) deps.joinRecorder.record(meeting, role, String(ctx.state.requestId ?? deps.newId()));
}

function redirectWithError({ ctx, request }: MeetingCall, error: BbbError): void {
  const target = errorTarget(request.params.get('errorRedirectUrl')) ?? errorTarget(request.params.get('logoutURL'));
  // bbb-web would fall back to its own logout URL; a balancer has none, so the error is XML.
  if (!target) return replyError(ctx, error);
  target.searchParams.set('errors', JSON.stringify([{ key: error.key, message: error.message }]));
  ctx.set('Cache-Control', 'no-cache');
  ctx.redirect(target.href);
}

function errorTarget(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
