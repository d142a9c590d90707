import { meetingsResponseOf } from '../../domain/bbb/responses.js';
import type { MeetingReadModel } from '../../projections/meetingList.js';
import { replyXml } from './bbbReply.js';
import type { MeetingCall } from './meetingCalls.js';
import type { MeetingsAnswer, MeetingsAnswerCache } from './meetingsAnswerCache.js';

/**
 * `getMeetings`, from the read model alone: nodes are never called (a slow node must not slow every tenant).
 * The Koa handler and the fast path in front of Koa (fastGetMeetings.ts) both answer with meetingsAnswer.
 */
export async function getMeetingsCall({ ctx, request, deps }: MeetingCall): Promise<void> {
  replyXml(ctx, (await meetingsAnswer(deps.meetingsAnswers, deps.meetings, request.tenant, request.scope)).xml);
}

/**
 * The one renderer of getMeetings. Building XML is most of the cost of this call, and a tenant's meetings
 * rarely change between two calls: while the read model gives the same list version, the whole answer,
 * encoded once, is reused without listing; otherwise each `<meeting>` comes from the cache (meetingsAnswerCache.ts).
 */
export async function meetingsAnswer(cache: MeetingsAnswerCache, readModel: MeetingReadModel, tenant: string, scope: string): Promise<MeetingsAnswer> {
  // The version first: a change after it can only make the kept answer newer than its version, never older.
  const version = readModel.listVersion(tenant);
  const cached = version === undefined ? undefined : cache.answer(tenant, scope, version);
  if (cached) return cached;
  const meetings = await readModel.list(tenant, scope);
  const xml = meetingsResponseOf(meetings.map((view) => cache.meeting(view)));
  const answer: MeetingsAnswer = { xml, bytes: Buffer.from(xml, 'utf8') };
  if (version !== undefined) cache.keep(tenant, scope, version, answer);
  return answer;
}
