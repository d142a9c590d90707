/**
 * The BBB API calls this balancer answers (or will, as their handlers land); anything else is refused as
 * Scalelite does. Session-token calls (`enter`, `stuns`, …) are made by the HTML5 client on its node, never here.
 */
export const BBB_CALLS = [
  'create',
  'join',
  'end',
  'isMeetingRunning',
  'getMeetingInfo',
  'getMeetings',
  'insertDocument',
  'sendChatMessage',
  'getRecordings',
  'publishRecordings',
  'deleteRecordings',
  'updateRecordings',
  'getRecordingTextTracks',
  'putRecordingTextTrack',
  // bbb-webhooks' API, answered by bbb-ledger itself for the tenant's meetings
  'hooks/create',
  'hooks/list',
  'hooks/destroy',
] as const;

export type BbbCall = (typeof BBB_CALLS)[number];

const KNOWN: ReadonlySet<string> = new Set(BBB_CALLS);

export const isBbbCall = (call: string): call is BbbCall => KNOWN.has(call);

export const FORM_URLENCODED = 'application/x-www-form-urlencoded';
const FORM_TYPES = [FORM_URLENCODED, 'multipart/form-data'];
const XML_TYPES = ['application/xml', 'text/xml'];

/** bbb-web's ContentTypeConstraint (2.6.18+/2.7.8+): which media types a POST body of each call may have. */
export function allowedContentTypes(call: BbbCall): readonly string[] {
  if (call === 'create') return [...FORM_TYPES, ...XML_TYPES];
  if (call === 'insertDocument') return XML_TYPES;
  return FORM_TYPES;
}

/** `application/XML; charset=UTF-8` → `application/xml`. */
export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}
