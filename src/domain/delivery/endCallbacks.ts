import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EndCallbackKind } from './events.js';

/**
 * End callbacks (reference §8.1, §8.2): the create sent to a node names bbb-ledger's URLs instead of the
 * client's, so the meeting ends in our log the moment the node reports it, and bbb-ledger calls the client's
 * URL itself. Each URL carries an HMAC over what it names, so nobody but the node we told can end a meeting.
 */

/** Which create parameter each kind replaces; bbb-web matches the meta name lower-cased. */
export function endCallbackKindOf(param: string): EndCallbackKind | undefined {
  if (param.toLowerCase() === 'meta_endcallbackurl') return 'endCallbackUrl';
  if (param === 'meetingEndedURL') return 'meetingEndedURL';
  return undefined;
}

/** What one callback URL stands for. */
export interface EndCallbackClaim {
  kind: EndCallbackKind;
  nodeMeetingID: string;
  incarnation: number;
}

export const END_CALLBACK_PATH = '/callbacks/meeting-ended';

function mac(key: string, claim: EndCallbackClaim): string {
  return createHmac('sha256', key).update(`${claim.kind}\n${claim.nodeMeetingID}\n${claim.incarnation}`).digest('base64url');
}

/** `<origin>/callbacks/meeting-ended/<kind>/<nodeMeetingID>/<incarnation>/<mac>`, absolute. */
export function endCallbackUrl(origin: string, key: string, claim: EndCallbackClaim): string {
  const base = origin.replace(/\/+$/, '');
  return `${base}${END_CALLBACK_PATH}/${claim.kind}/${encodeURIComponent(claim.nodeMeetingID)}/${claim.incarnation}/${mac(key, claim)}`;
}

/** True only for a MAC this key made for exactly this claim. */
export function verifyEndCallback(key: string, claim: EndCallbackClaim, given: string): boolean {
  const expected = Buffer.from(mac(key, claim));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The create's parameters with every non-empty end callback URL replaced by ours; others unchanged. */
export function rewriteEndCallbacks(
  params: ReadonlyArray<readonly [string, string]>,
  sign: (kind: EndCallbackKind) => string,
): [string, string][] {
  return params.map(([name, value]): [string, string] => {
    const kind = endCallbackKindOf(name);
    return kind && value.trim() !== '' ? [name, sign(kind)] : [name, value];
  });
}

/** The client's URL of `kind` among the create parameters the client sent, if any. */
export function originalEndCallback(params: Readonly<Record<string, string>>, kind: EndCallbackKind): string | undefined {
  for (const [name, value] of Object.entries(params)) {
    if (endCallbackKindOf(name) === kind && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * The URL bbb-web would call: the original with `recordingmarks` and `meetingID` appended (URIBuilder's
 * addParameter appends, so a `meetingID` already there appears twice, as on BBB). A fragment stays last.
 */
export function endCallbackTarget(original: string, recordingmarks: boolean, meetingID: string): string {
  const hash = original.indexOf('#');
  const head = hash === -1 ? original : original.slice(0, hash);
  const fragment = hash === -1 ? '' : original.slice(hash);
  const separator = !head.includes('?') ? '?' : head.endsWith('?') || head.endsWith('&') ? '' : '&';
  return `${head}${separator}recordingmarks=${recordingmarks}&meetingID=${encodeURIComponent(meetingID)}${fragment}`;
}

/** One stream per meeting incarnation and kind: the second call of the same URL finds it taken. */
export const endCallbackDeliveryId = (claim: EndCallbackClaim): string => `end-${claim.nodeMeetingID}-${claim.incarnation}-${claim.kind}`;

/** Where a create's end callbacks point, when bbb-ledger takes them over. */
export interface EndCallbackSigning {
  /** Absolute origin of bbb-ledger as the node reaches it (`PUBLIC_URL`, else the request's own origin). */
  origin: string;
  key: string;
}

/** The parameters a node gets for incarnation `incarnation`: the client's end callbacks swapped for ours. */
export function withSignedEndCallbacks(
  params: ReadonlyArray<readonly [string, string]>,
  signing: EndCallbackSigning,
  nodeMeetingID: string,
  incarnation: number,
): [string, string][] {
  return rewriteEndCallbacks(params, (kind) => endCallbackUrl(signing.origin, signing.key, { kind, nodeMeetingID, incarnation }));
}
