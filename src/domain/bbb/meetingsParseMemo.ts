import { createHash } from 'node:crypto';
import type { NodeMeeting } from './getMeetingsResponse.js';

const MEETING_OPEN = '<meeting>';
const MEETING_CLOSE = '</meeting>';

/** An answer cut into its `<meeting>` blocks and the rest (the envelope, with the blocks taken out). */
export interface MeetingBlocks {
  envelope: string;
  blocks: string[];
}

/**
 * The `<meeting>` blocks of a getMeetings answer (attendees already collapsed), or undefined when there are none or
 * one is left open (a truncated answer: the caller's full parse refuses it). Text cannot hide a tag: BBB escapes `<`.
 */
export function meetingBlocks(xml: string): MeetingBlocks | undefined {
  const blocks: string[] = [];
  const envelope: string[] = [];
  let from = 0;
  for (let open = xml.indexOf(MEETING_OPEN); open !== -1; open = xml.indexOf(MEETING_OPEN, from)) {
    const close = xml.indexOf(MEETING_CLOSE, open);
    if (close === -1) return undefined;
    envelope.push(xml.slice(from, open));
    from = close + MEETING_CLOSE.length;
    blocks.push(xml.slice(open, from));
  }
  if (blocks.length === 0) return undefined;
  envelope.push(xml.slice(from));
  return { envelope: envelope.join(''), blocks };
}

/**
 * What one node's last answer parsed to, by the digest of each `<meeting>` block: between two polls most of a
 * node's meetings do not change, so only new and changed blocks are parsed again (the fleet poll parses on the
 * event loop, ~0.15 ms per meeting: docs/benchmarks.md). Keyed by digest, so no block keeps its answer alive.
 * It holds exactly the blocks of the last answer remembered.
 */
export class MeetingsParseMemo {
  private byDigest = new Map<string, NodeMeeting>();

  /** Each block's meeting, parsed by `parse` unless the previous answer had the same block. */
  meetingsOf(blocks: readonly string[], parse: (block: string) => NodeMeeting): NodeMeeting[] {
    const next = new Map<string, NodeMeeting>();
    const meetings = blocks.map((block) => {
      const digest = createHash('sha1').update(block).digest('base64');
      const meeting = next.get(digest) ?? this.byDigest.get(digest) ?? parse(block);
      next.set(digest, meeting);
      return meeting;
    });
    this.byDigest = next;
    return meetings;
  }

  /** After an answer that could not be used: nothing of the one before is worth keeping. */
  clear(): void {
    this.byDigest = new Map();
  }

  get size(): number {
    return this.byDigest.size;
  }
}
