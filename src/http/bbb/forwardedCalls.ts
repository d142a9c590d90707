import { handleMeetingCommand } from '../../commands/decider/meetingCommands.js';
import { nodeMeetingIdOf } from '../../domain/meeting/meetingKey.js';
import type { MeetingEndReason } from '../../domain/meeting/events.js';
import type { MeetingView } from '../../projections/meetingList.js';
import type { NodeCallOptions, NodeCallResult } from '../../nodes/bbbNodeClient.js';
import { replyError, replyXml } from './bbbReply.js';
import { insertDocumentNotFoundXml, MEETING_ERRORS, notRunningXml, withClientMeetingId } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';

/** The running meeting the request names, from the routing read model. */
async function routedMeeting({ request, deps }: MeetingCall): Promise<MeetingView | undefined> {
  const meetingID = request.params.get('meetingID');
  return meetingID === undefined ? undefined : deps.meetings.find(nodeMeetingIdOf(request.scope, meetingID));
}

/** Calls the meeting's node with the client's parameters, meetingID swapped for the node's. */
async function forward(call: MeetingCall, meeting: MeetingView, options?: NodeCallOptions): Promise<NodeCallResult> {
  const { request, deps } = call;
  const node = await deps.nodeById(meeting.nodeId);
  if (!node) return { kind: 'failed', reason: 'connection', detail: `node ${meeting.nodeId} is not registered` };
  const params = [...request.params].map(([k, v]): [string, string] => [k, k === 'meetingID' ? meeting.nodeMeetingID : v]);
  const result = await deps.nodeClient.call(node, request.call, params, options);
  if (result.kind === 'failed') {
    deps.logger.warn({ call: request.call, nodeId: node.id, reason: result.reason, detail: result.detail }, 'node call failed');
  }
  return result;
}

/** The node's XML with the client's meeting ID, or Scalelite's internalError when the node failed. */
function replyFromNode({ ctx }: MeetingCall, meeting: MeetingView, result: NodeCallResult): void {
  if (result.kind === 'failed') return replyError(ctx, MEETING_ERRORS.accessFailed);
  replyXml(ctx, withClientMeetingId(result.xml, meeting.nodeMeetingID, meeting.meetingID));
}

export async function endCall(call: MeetingCall): Promise<void> {
  const meeting = await routedMeeting(call);
  if (!meeting) return replyError(call.ctx, MEETING_ERRORS.notFound);
  const result = await forward(call, meeting);
  if (result.kind === 'ok') {
    // The node ended it, or had already lost it: either way it no longer runs.
    const reason: MeetingEndReason | undefined =
      result.doc.returncode === 'SUCCESS' ? 'api' : result.doc.messageKey === 'notFound' ? 'node' : undefined;
    if (reason) await endMeeting(call, meeting, reason);
  }
  replyFromNode(call, meeting, result);
}

async function endMeeting(call: MeetingCall, meeting: MeetingView, reason: MeetingEndReason): Promise<void> {
  const { tenant, scope, meetingID } = meeting;
  const ended = await handleMeetingCommand(call.deps.store, { type: 'EndMeeting', data: { tenant, scope, meetingID, reason } }, call.commandContext());
  await call.caughtUp(ended.position);
}

export async function isMeetingRunningCall(call: MeetingCall): Promise<void> {
  const meeting = await routedMeeting(call);
  if (!meeting) return replyXml(call.ctx, notRunningXml());
  replyFromNode(call, meeting, await forward(call, meeting));
}

export async function getMeetingInfoCall(call: MeetingCall): Promise<void> {
  const meeting = await routedMeeting(call);
  if (!meeting) return replyError(call.ctx, MEETING_ERRORS.notFound);
  replyFromNode(call, meeting, await forward(call, meeting));
}

/** POST only in BBB; the XML body goes to the node byte for byte. */
export async function insertDocumentCall(call: MeetingCall): Promise<void> {
  const meeting = await routedMeeting(call);
  if (!meeting) return replyXml(call.ctx, insertDocumentNotFoundXml(call.request.params.get('meetingID') ?? ''));
  const { rawBody, contentType } = call.request;
  const options = rawBody !== undefined && contentType !== undefined ? { body: { bytes: rawBody, contentType } } : undefined;
  replyFromNode(call, meeting, await forward(call, meeting, options));
}

export async function sendChatMessageCall(call: MeetingCall): Promise<void> {
  const meeting = await routedMeeting(call);
  if (!meeting) return replyError(call.ctx, MEETING_ERRORS.chatMeetingNotFound);
  replyFromNode(call, meeting, await forward(call, meeting));
}
