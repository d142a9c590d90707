import type { JoinRole } from '../../domain/meeting/events.js';
import type { MeetingView } from '../../projections/meetingList.js';
import { replyError, replyXml, type BbbError } from './bbbReply.js';
import { nodeRedirectHeaders, redirectWanted, resolveJoin, type JoinTarget } from './joinTarget.js';
import { MEETING_ERRORS, withClientMeetingId } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';
import { originOf } from '../publicOrigin.js';

/**
 * `join`: a 302 to the node's own join URL, re-signed for the node, never proxied (the node must set its
 * session cookie in the browser). With `redirect=false` BBB answers XML, so the call goes to the node and
 * its XML comes back. Errors redirect to errorRedirectUrl/logoutURL with `errors=[…]` like bbb-web, when
 * the client gave one and wants a redirect; otherwise they are XML.
 */
export async function joinCall(call: MeetingCall): Promise<void> {
  const { ctx, request, deps } = call;
  const redirect = redirectWanted(request.params);
  const target = await resolveJoin(request.params, request.scope, deps, () => originOf(ctx, deps.publicUrl));
  if (target.kind === 'refused') return redirect && target.redirectable ? redirectWithError(call, target.error) : replyError(ctx, target.error);
  const { meeting, node, role, forwarded, nodeMeetingID, meetingID } = target;
  if (redirect) {
    countJoin(call, meeting, role);
    return redirectToNode(ctx, target);
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
 * Koa's `redirect` would negotiate and escape a "Redirecting to" body nobody reads, and re-encode a URL that
 * signedApiUrl already percent-encoded strictly (the node URL is a normalised href).
 */
function redirectToNode(ctx: MeetingCall['ctx'], target: Extract<JoinTarget, { kind: 'node' }>): void {
  ctx.status = 302;
  ctx.set(nodeRedirectHeaders(target));
  ctx.body = '';
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
