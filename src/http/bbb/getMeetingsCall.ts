import { meetingsResponseOf, meetingXml } from '../../domain/bbb/responses.js';
import { bbbMeetingOf, type MeetingReadModel, type MeetingView } from '../../projections/meetingList.js';
import { replyXml } from './bbbReply.js';
import type { MeetingCall } from './meetingCalls.js';

/** Rendered `<meeting>` elements by the view they show; cleared when full rather than tracked per entry. */
const MAX_CACHED_MEETINGS = 10_000;
const renderedByReadModel = new WeakMap<MeetingReadModel, Map<string, string>>();
/** The in-process read model hands out one frozen view per meeting until it changes: found without a key. */
const renderedByView = new WeakMap<MeetingView, string>();

/**
 * `getMeetings`, from the read model alone: nodes are never called (a slow node must not slow every tenant).
 * Building XML is most of the cost of this call, and a meeting's view rarely changes between two polls, so
 * each `<meeting>` is rendered once per distinct view (the view itself is the key: nothing can go stale).
 */
export async function getMeetingsCall({ ctx, request, deps }: MeetingCall): Promise<void> {
  const meetings = await deps.meetings.list(request.tenant, request.scope);
  let rendered = renderedByReadModel.get(deps.meetings);
  if (!rendered) renderedByReadModel.set(deps.meetings, (rendered = new Map()));
  replyXml(ctx, meetingsResponseOf(meetings.map((view) => renderedMeeting(rendered, view))));
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
