import { createMeeting, type CreateMeetingRequest } from '../../commands/workflows/createMeeting.js';
import { encodeQuery, sanitize } from '../../domain/bbb/checksum.js';
import { assetUrl, slideFilename, slideModulesXml, withDefault } from '../../domain/policy/branding.js';
import type { TenantAsset } from '../../domain/tenant/assets.js';
import { MAX_NODE_QUERY_BYTES } from '../../nodes/bbbHttp.js';
import { originOf } from '../publicOrigin.js';
import { replyError, replyXml, type BbbError } from './bbbReply.js';
import { MEETING_ERRORS, serverTagUnavailable, withClientMeetingId } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';

const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * `create`: validated here as bbb-web 2.5+ would, without calling a node; then placed, forwarded and
 * recorded by createMeeting. The answer is the node's XML with the client's meeting ID.
 */
export async function createCall({ ctx, request, deps, commandContext, caughtUp }: MeetingCall): Promise<void> {
  const { params } = request;
  const refused = createValidationError(params);
  if (refused) return replyError(ctx, refused);
  const meetingID = params.get('meetingID')!;
  const origin = originOf(ctx, deps.publicUrl);
  // The tenant's logo as a default, then its meeting limit and create rules (a rule on `logo` wins), after the
  // checksum and before any node sees the call.
  const logo = deps.assets?.assetOf(request.tenant, 'logo');
  const branded = withDefault(params, 'logo', logo && assetUrl(origin, request.tenant, 'logo', logo.hash));
  const verdict = deps.policy.create(request, meetingID, branded, String(ctx.state.requestId ?? ''));
  if (verdict.kind === 'refused') return replyError(ctx, verdict.error);
  const xmlBody = request.rawBody !== undefined && request.contentType !== undefined && XML_TYPES.includes(request.contentType);
  const slide = xmlBody ? undefined : deps.assets?.assetOf(request.tenant, 'slide');
  const { transport, params: sent } = slideTransport(request, verdict.params, xmlBody, slide && { url: assetUrl(origin, request.tenant, 'slide', slide.hash), asset: slide });
  const endCallbacks = deps.endCallbackKey ? { key: deps.endCallbackKey, origin } : undefined;
  const outcome = await createMeeting(
    deps,
    { tenant: request.tenant, scope: request.scope, meetingID, params: sent, transport, ...(endCallbacks ? { endCallbacks } : {}) },
    commandContext,
  );
  if (outcome.kind === 'noNodeAvailable') return replyError(ctx, MEETING_ERRORS.noServers);
  if (outcome.kind === 'serverTagUnavailable') return replyError(ctx, serverTagUnavailable(outcome.tags));
  if (outcome.kind === 'serverFull') return replyError(ctx, MEETING_ERRORS.serverFull);
  if (outcome.kind === 'nodeUnreachable') return replyError(ctx, MEETING_ERRORS.createFailed);
  // An immediate join must find the meeting: answer only once the routing read model has it.
  await caughtUp(outcome.position);
  replyXml(ctx, withClientMeetingId(outcome.xml, outcome.nodeMeetingID, meetingID));
}

/** Room left in a node's query for what bbb-ledger adds (the node meeting ID, signed end callback URLs). */
const QUERY_HEADROOM_BYTES = 1024;

/**
 * How create reaches the node. The client's XML body as sent; else the tenant's slide as a pre-uploaded
 * document (`<modules>` POSTed, the parameters in the query). A create whose parameters are too long for a query
 * goes to the node as a form POST (fetchSigned), which leaves no room for a body: it names the slide with BBB
 * 2.7's `preUploadedPresentation`/`preUploadedPresentationName` instead (older nodes ignore them).
 */
function slideTransport(
  request: MeetingCall['request'],
  params: Iterable<readonly [string, string]>,
  xmlBody: boolean,
  slide: { url: string; asset: TenantAsset } | undefined,
): { transport: CreateMeetingRequest['transport']; params: Array<[string, string]> } {
  const list = [...params].map(([k, v]): [string, string] => [k, v]);
  if (xmlBody) return { transport: { kind: 'xml', bytes: request.rawBody!, contentType: request.contentType! }, params: list };
  if (!slide) return { transport: { kind: 'query' }, params: list };
  if (encodeQuery(list).length + QUERY_HEADROOM_BYTES > MAX_NODE_QUERY_BYTES) {
    const named = withDefault(withDefault(list, 'preUploadedPresentation', slide.url), 'preUploadedPresentationName', slideFilename(request.tenant, slide.asset));
    return { transport: { kind: 'query' }, params: [...named].map(([k, v]): [string, string] => [k, v]) };
  }
  return { transport: { kind: 'xml', bytes: Buffer.from(slideModulesXml(slide.url, request.tenant, slide.asset)), contentType: 'application/xml' }, params: list };
}

const BOOLEAN = /^(true|false|0|1)$/i;

/**
 * bbb-web's create validation. It collects violations in a HashMap keyed by messageKey and reports the first
 * in iteration order, which for these keys is: emptyError, invalidPassword, sizeError, nullError,
 * validationError, missingParamMeetingID (Java String.hashCode buckets; reference §3.4). Only after all pass
 * does the controller refuse a missing or unsanitary meeting ID.
 */
export function createValidationError(params: ReadonlyMap<string, string>): BbbError | undefined {
  const name = params.get('name');
  const meetingID = params.get('meetingID');
  const violations = new Map<string, string>();
  const violate = (key: string, message: string) => {
    if (!violations.has(key)) violations.set(key, message);
  };
  if (name === undefined) violate('nullError', 'You must provide a meeting name');
  else {
    if (name === '') violate('emptyError', 'You must provide a meeting name');
    if (name.length < 2 || name.length > 256) violate('sizeError', 'Meeting name must be between 2 and 256 characters');
  }
  if (meetingID !== undefined) {
    if (meetingID === '') violate('missingParamMeetingID', 'You must provide a meeting ID');
    if (meetingID.length < 2 || meetingID.length > 256) violate('sizeError', 'Meeting ID must be between 2 and 256 characters');
    if (meetingID.includes(',')) violate('validationError', "Meeting ID cannot contain ','");
  }
  for (const key of ['attendeePW', 'moderatorPW']) {
    const password = params.get(key);
    if (password !== undefined && (password.length < 2 || password.length > 64)) violate('invalidPassword', 'Invalid password');
  }
  const record = params.get('record');
  if (record !== undefined && !BOOLEAN.test(record)) violate('validationError', 'Record must be a boolean value (true or false)');
  const voiceBridge = params.get('voiceBridge');
  if (voiceBridge !== undefined && !/^-?\d+$/.test(voiceBridge)) violate('validationError', 'Voice bridge must be an integral value');
  for (const key of ['emptyError', 'invalidPassword', 'sizeError', 'nullError', 'validationError', 'missingParamMeetingID']) {
    const message = violations.get(key);
    if (message !== undefined) return { key, message };
  }
  if (meetingID === undefined || sanitize(meetingID) !== meetingID) return { key: 'validationError', message: 'Invalid meeting ID' };
  return undefined;
}
