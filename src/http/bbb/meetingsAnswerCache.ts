import { meetingXml } from '../../domain/bbb/responses.js';
import { bbbMeetingOf, type MeetingView } from '../../projections/meetingList.js';

/** A whole getMeetings answer, as text (Koa) and encoded (the fast path). */
export interface MeetingsAnswer {
  xml: string;
  bytes: Buffer;
}

/** Whole answers by `tenant\0scope`; cleared when full rather than tracked per entry. */
const MAX_CACHED_ANSWERS = 10_000;
/** Rendered `<meeting>` elements by the JSON of the view they show; cleared when full, like the answers. */
const MAX_CACHED_MEETINGS = 10_000;

/**
 * What getMeetings has rendered, for both of its entrances (Koa's getMeetingsCall and the fast path): one per
 * composed product, handed to both by compose.ts. A whole answer is kept with the list version the meeting read
 * model gave for its tenant (`MeetingReadModel.listVersion`) and reused while the model gives the same version,
 * so nothing can go stale; each `<meeting>` is rendered once per distinct view.
 */
export class MeetingsAnswerCache {
  private readonly answers = new Map<string, { version: number; answer: MeetingsAnswer }>();
  private readonly renderedByJson = new Map<string, string>();
  /** The in-process read model hands out one frozen view per meeting until it changes: found without a key. */
  private readonly renderedByView = new WeakMap<MeetingView, string>();

  /** The answer rendered for `tenant` and `scope` at this list version, if any. */
  answer(tenant: string, scope: string, version: number): MeetingsAnswer | undefined {
    const cached = this.answers.get(`${tenant}\0${scope}`);
    return cached?.version === version ? cached.answer : undefined;
  }

  keep(tenant: string, scope: string, version: number, answer: MeetingsAnswer): void {
    if (this.answers.size >= MAX_CACHED_ANSWERS) this.answers.clear();
    this.answers.set(`${tenant}\0${scope}`, { version, answer });
  }

  /** One `<meeting>` element. */
  meeting(view: MeetingView): string {
    const shared = Object.isFrozen(view);
    const known = shared ? this.renderedByView.get(view) : undefined;
    if (known !== undefined) return known;
    const key = JSON.stringify(view);
    let xml = this.renderedByJson.get(key);
    if (xml === undefined) {
      if (this.renderedByJson.size >= MAX_CACHED_MEETINGS) this.renderedByJson.clear();
      xml = meetingXml(bbbMeetingOf(view));
      this.renderedByJson.set(key, xml);
    }
    if (shared) this.renderedByView.set(view, xml);
    return xml;
  }
}
