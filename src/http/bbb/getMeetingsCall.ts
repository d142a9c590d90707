import { meetingsResponse } from '../../domain/bbb/responses.js';
import { bbbMeetingOf } from '../../projections/meetingList.js';
import { replyXml } from './bbbReply.js';
import type { MeetingCall } from './meetingCalls.js';

/** `getMeetings`, from the read model alone: nodes are never called (a slow node must not slow every tenant). */
export async function getMeetingsCall({ ctx, request, deps }: MeetingCall): Promise<void> {
  const meetings = await deps.meetings.list(request.tenant, request.scope);
  replyXml(ctx, meetingsResponse(meetings.map(bbbMeetingOf)));
}
