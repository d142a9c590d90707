import { meetingsResponseOf, meetingXml } from '../../domain/bbb/responses.js';
import { bbbMeetingOf, type MeetingReadModel, type MeetingView } from '../../projections/meetingList.js';
import { replyXml } from './bbbReply.js';
import type { MeetingCall } from './meetingCalls.js';

/** Rendered `<meeting>` elements by the view they show; cleared when full rather than tracked per entry. */
const MAX_CACHED_MEETINGS = 10_000;
const renderedByReadModel = new WeakMap<MeetingReadModel, Map<string, string>>();
/** The in-process read model hands out one frozen view per meeting until it changes: found without a key. */
const renderedByView = new WeakMap<MeetingView, string>();

/** A whole getMeetings answer, as text (Koa) and encoded (the fast path). */
export interface MeetingsAnswer {
  xml: string;
  bytes: Buffer;
}

interface CachedAnswer extends MeetingsAnswer {
  /** The frozen views it shows, in order. */
  views: readonly MeetingView[];
}

/** Whole answers by `tenant\0scope`; cleared when full, like the `<meeting>` cache. */
const MAX_CACHED_ANSWERS = 10_000;
const answersByReadModel = new WeakMap<MeetingReadModel, Map<string, CachedAnswer>>();

/**
 * `getMeetings`, from the read model alone: nodes are never called (a slow node must not slow every tenant).
 * The Koa handler and the fast path in front of Koa (fastGetMeetings.ts) both answer with meetingsAnswer.
 */
export async function getMeetingsCall({ ctx, request, deps }: MeetingCall): Promise<void> {
  replyXml(ctx, (await meetingsAnswer(deps.meetings, request.tenant, request.scope)).xml);
}

/**
 * The one renderer of getMeetings. Building XML is most of the cost of this call, and a meeting's view rarely
 * changes between two polls, so each `<meeting>` is rendered once per distinct view (the view itself is the
 * key: nothing can go stale), and while a scope's list holds the very same frozen views as last time the whole
 * answer, encoded once, is reused.
 */
export async function meetingsAnswer(readModel: MeetingReadModel, tenant: string, scope: string): Promise<MeetingsAnswer> {
  const meetings = await readModel.list(tenant, scope);
  let answers = answersByReadModel.get(readModel);
  if (!answers) answersByReadModel.set(readModel, (answers = new Map()));
  const key = `${tenant}\0${scope}`;
  const cached = answers.get(key);
  if (cached && sameViews(cached.views, meetings)) return cached;
  let rendered = renderedByReadModel.get(readModel);
  if (!rendered) renderedByReadModel.set(readModel, (rendered = new Map()));
  const xml = meetingsResponseOf(meetings.map((view) => renderedMeeting(rendered, view)));
  const answer: CachedAnswer = { xml, bytes: Buffer.from(xml, 'utf8'), views: meetings };
  if (meetings.every((view) => Object.isFrozen(view))) {
    if (answers.size >= MAX_CACHED_ANSWERS) answers.clear();
    answers.set(key, answer);
  } else {
    answers.delete(key);
  }
  return answer;
}

/** Identity: only frozen views are ever cached, and a changed meeting gets a new one. */
function sameViews(a: readonly MeetingView[], b: readonly MeetingView[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function renderedMeeting(rendered: Map<string, string>, view: MeetingView): string {
  const shared = Object.isFrozen(view);
  const known = shared ? renderedByView.get(view) : undefined;
  if (known !== undefined) return known;
  const key = JSON.stringify(view);
  let xml = rendered.get(key);
  if (xml === undefined) {
    if (rendered.size >= MAX_CACHED_MEETINGS) rendered.clear();
    xml = meetingXml(bbbMeetingOf(view));
    rendered.set(key, xml);
  }
  if (shared) renderedByView.set(view, xml);
  return xml;
}
