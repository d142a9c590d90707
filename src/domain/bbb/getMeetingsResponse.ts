import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { meetingBlocks, type MeetingsParseMemo } from './meetingsParseMemo.js';

/** One meeting of a node's getMeetings answer: what health, load and reconciliation need, typed. */
export interface NodeMeeting {
  meetingID: string;
  internalMeetingID: string;
  meetingName: string;
  running: boolean;
  isBreakout: boolean;
  createTime: number;
  /** 0 while running; an ended meeting lingers in getMeetings for a while with its end time. */
  endTime: number;
  hasBeenForciblyEnded: boolean;
  participantCount: number;
  moderatorCount: number;
  listenerCount: number;
  voiceParticipantCount: number;
  videoCount: number;
  attendeeCount: number;
  /** Keys lower-cased, as BBB answers them. */
  metadata: Record<string, string>;
}

/** A getMeetings answer a healthy node gives, or why it is not one. */
export type GetMeetingsParse =
  | { ok: true; meetings: NodeMeeting[] }
  | { ok: false; reason: 'checksumError' | 'badXml'; detail: string };

const MEETING_PATH = 'response.meetings.meeting';

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: true,
  isArray: (_name, jpath) => jpath === MEETING_PATH,
});

const ATTENDEES_OPEN = '<attendees>';
const ATTENDEES_CLOSE = '</attendees>';
const ATTENDEE = '<attendee>';

/**
 * Attendees are most of a busy node's answer (3.4 MB for 1,000 meetings of 10) and only counted, so each
 * `<attendees>` block becomes its count before the XML is validated and parsed: one string scan instead of
 * two walks over every attendee (450 → ~60 ms for that answer, docs/benchmarks.md; the fleet poll runs on the
 * event loop). Text cannot hide a tag here: BBB escapes `<` in names and metadata. A block left open
 * (a truncated answer) is kept as it is, so the validator still refuses it.
 */
export function collapseAttendees(xml: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let open = xml.indexOf(ATTENDEES_OPEN); open !== -1; open = xml.indexOf(ATTENDEES_OPEN, from)) {
    const start = open + ATTENDEES_OPEN.length;
    const close = xml.indexOf(ATTENDEES_CLOSE, start);
    if (close === -1) break;
    let attendees = 0;
    for (let i = xml.indexOf(ATTENDEE, start); i !== -1 && i < close; i = xml.indexOf(ATTENDEE, i + ATTENDEE.length)) attendees++;
    parts.push(xml.slice(from, start), String(attendees));
    from = close;
  }
  if (from === 0) return xml;
  parts.push(xml.slice(from));
  return parts.join('');
}

/**
 * Only a well-formed `<response>` with SUCCESS counts. FAILED with `checksumError` means our registered
 * secret or algorithm is wrong; any other FAILED, HTML from a proxy, or truncated XML is `badXml`. With a
 * `memo` (one per node), meetings whose `<meeting>` block the node's previous answer had are not parsed again.
 */
export function parseGetMeetings(answer: string, memo?: MeetingsParseMemo): GetMeetingsParse {
  const xml = collapseAttendees(answer);
  const split = memo && meetingBlocks(xml);
  const envelope = responseOf(split ? split.envelope : xml);
  if (!envelope.ok) {
    memo?.clear();
    return envelope;
  }
  try {
    const list = isRecord(envelope.response.meetings) ? envelope.response.meetings.meeting : undefined;
    const listed = Array.isArray(list) ? list : [];
    if (split && listed.length === 0) return { ok: true, meetings: memo.meetingsOf(split.blocks, parseMeetingBlock) };
    // No blocks, or `<meeting>` tags the scan does not know (attributes): the whole answer as parsed.
    if (split) return parseGetMeetings(answer);
    return { ok: true, meetings: listed.map(toMeeting) };
  } catch (error) {
    memo?.clear();
    return { ok: false, reason: 'badXml', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The `<response>` of a well-formed SUCCESS answer, or why it is not one. */
function responseOf(xml: string): { ok: true; response: Record<string, unknown> } | Extract<GetMeetingsParse, { ok: false }> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: 'badXml', detail: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const root: unknown = parser.parse(xml);
  const response = isRecord(root) ? root.response : undefined;
  if (!isRecord(response)) return { ok: false, reason: 'badXml', detail: `not a BBB answer: ${excerpt(xml)}` };
  const { returncode, messageKey, message } = response;
  if (returncode === 'FAILED') {
    const detail = `FAILED ${String(messageKey ?? '')}: ${String(message ?? '')}`;
    return { ok: false, reason: messageKey === 'checksumError' ? 'checksumError' : 'badXml', detail };
  }
  if (returncode !== 'SUCCESS') return { ok: false, reason: 'badXml', detail: `returncode is ${JSON.stringify(returncode)}` };
  return { ok: true, response };
}

/** One `<meeting>` block on its own: a document of its own, validated and parsed like the whole answer. */
function parseMeetingBlock(block: string): NodeMeeting {
  const valid = XMLValidator.validate(block);
  if (valid !== true) throw new Error(`not well-formed XML in a <meeting>: ${valid.err.msg}`);
  const root: unknown = parser.parse(block);
  return toMeeting(isRecord(root) ? root.meeting : undefined);
}

export interface NodeLoadSummary {
  meetings: number;
  participants: number;
}

/** Breakout rooms are not counted as meetings of their own: their users are already counted by BBB. */
export function summarise(meetings: readonly NodeMeeting[]): NodeLoadSummary {
  const main = meetings.filter((m) => !m.isBreakout);
  return { meetings: main.length, participants: main.reduce((sum, m) => sum + m.participantCount, 0) };
}

function toMeeting(element: unknown): NodeMeeting {
  if (!isRecord(element)) throw new Error('a <meeting> element has no children');
  return {
    meetingID: text(element, 'meetingID'),
    internalMeetingID: text(element, 'internalMeetingID'),
    meetingName: optionalText(element, 'meetingName'),
    running: optionalText(element, 'running') === 'true',
    isBreakout: optionalText(element, 'isBreakout') === 'true',
    createTime: count(element, 'createTime'),
    endTime: count(element, 'endTime'),
    hasBeenForciblyEnded: optionalText(element, 'hasBeenForciblyEnded') === 'true',
    participantCount: count(element, 'participantCount'),
    moderatorCount: count(element, 'moderatorCount'),
    listenerCount: count(element, 'listenerCount'),
    voiceParticipantCount: count(element, 'voiceParticipantCount'),
    videoCount: count(element, 'videoCount'),
    attendeeCount: typeof element.attendees === 'string' && /^\d+$/.test(element.attendees) ? Number(element.attendees) : 0,
    metadata: isRecord(element.metadata) ? textRecord(element.metadata) : {},
  };
}

function text(element: Record<string, unknown>, name: string): string {
  const value = element[name];
  if (typeof value !== 'string' || value === '') throw new Error(`a <meeting> lacks <${name}>`);
  return value;
}

function optionalText(element: Record<string, unknown>, name: string): string {
  const value = element[name];
  return typeof value === 'string' ? value : '';
}

/** Absent counts read as 0 (older BBB versions lack some); present ones must be whole numbers. */
function count(element: Record<string, unknown>, name: string): number {
  const value = element[name];
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new Error(`<${name}> of a <meeting> is not a whole number`);
  return Number(value);
}

function textRecord(value: Record<string, unknown>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') record[key] = v;
  return record;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const excerpt = (xml: string): string => JSON.stringify(xml.slice(0, 80));
