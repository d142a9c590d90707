import type { MeetingReadModel } from '../../projections/meetingList.js';
import { XML_CACHE_CONTROL, XML_CONTENT_TYPE } from './bbbReply.js';
import { fastFrontDoor, fastRequestId, type FastFrontDoorDeps, type FastPath } from './fastPath.js';
import { meetingsAnswer } from './getMeetingsCall.js';
import type { MeetingsAnswerCache } from './meetingsAnswerCache.js';

export interface FastGetMeetingsDeps extends FastFrontDoorDeps {
  meetings: MeetingReadModel;
  /** The same cache Koa's getMeetingsCall answers from. */
  meetingsAnswers: MeetingsAnswerCache;
}

/**
 * The plain successful getMeetings, answered without Koa like fastJoin: the front door's checks (fastPath.ts),
 * the answer from getMeetingsCall.ts's one renderer, already encoded, and the headers Koa's replyXml gives it,
 * in Koa's order (X-Request-Id, Content-Type, Content-Length, Cache-Control). Every refusal, another method,
 * a body, an unusual request target or a failing read model is left untouched for Koa.
 */
export function fastGetMeetings(deps: FastGetMeetingsDeps): FastPath {
  return async function fastGetMeetingsPath(req, res) {
    const request = fastFrontDoor(req, 'getMeetings', deps);
    if (!request) return false;
    const answer = await meetingsAnswer(deps.meetingsAnswers, deps.meetings, request.tenant, request.scope).catch(() => undefined);
    if (!answer) return false;
    res.writeHead(200, {
      'X-Request-Id': fastRequestId(req),
      'Content-Type': XML_CONTENT_TYPE,
      'Content-Length': String(answer.bytes.length),
      'Cache-Control': XML_CACHE_CONTROL,
    });
    res.end(answer.bytes);
    return true;
  };
}
