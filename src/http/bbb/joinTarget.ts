import { sanitize } from '../../domain/bbb/checksum.js';
import { signedApiUrl } from '../../domain/bbb/apiUrl.js';
import { nodeMeetingIdOf } from '../../domain/meeting/meetingKey.js';
import type { JoinRole } from '../../domain/meeting/events.js';
import type { PlacementNode } from '../../domain/placement/placement.js';
import type { TenantPolicyGate } from '../../policy/tenantPolicyGate.js';
import type { MeetingReadModel, MeetingView } from '../../projections/meetingList.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';
import { assetUrl, CUSTOM_STYLE_PARAM, withDefault } from '../../domain/policy/branding.js';
import type { BbbError } from './bbbReply.js';
import { MEETING_ERRORS } from './meetingAnswers.js';

/**
 * The one implementation of join up to its answer, shared by the Koa handler (joinCall.ts) and the fast path in
 * front of Koa (fastJoin.ts): which node, which parameters, which role, which URL, which 302.
 */
export interface JoinLookups {
  meetings: Pick<MeetingReadModel, 'find'>;
  nodeById(id: string): Promise<PlacementNode | undefined>;
  /** The tenant's attendee limit and join rules, in this process. */
  policy: Pick<TenantPolicyGate, 'join'>;
  /** The tenants' stylesheets; absent = none. */
  assets?: Pick<TenantDirectory, 'assetOf'>;
}

export type JoinTarget =
  /** `redirectable`: bbb-web sends this one to errorRedirectUrl/logoutURL when the client wants a redirect. */
  | { kind: 'refused'; error: BbbError; redirectable: boolean }
  | {
      kind: 'node';
      meeting: MeetingView;
      node: PlacementNode;
      meetingID: string;
      nodeMeetingID: string;
      /** The client's parameters (checksum excluded) with the meetingID the node knows. */
      forwarded: Array<[string, string]>;
      role: JoinRole | undefined;
    };

/** BBB answers join with a redirect unless the client asks for XML with `redirect=false`. */
export const redirectWanted = (params: ReadonlyMap<string, string>): boolean => params.get('redirect') !== 'false';

/** `origin` builds the stylesheet's URL (PUBLIC_URL, else the request's own); asked only when the tenant has one. */
export async function resolveJoin(params: ReadonlyMap<string, string>, scope: string, lookups: JoinLookups, origin: () => string): Promise<JoinTarget> {
  if (sanitize(params.get('fullName') ?? '') === '') return { kind: 'refused', error: MEETING_ERRORS.missingFullName, redirectable: true };
  const meetingID = params.get('meetingID');
  const nodeMeetingID = meetingID === undefined ? undefined : nodeMeetingIdOf(scope, meetingID);
  const meeting = nodeMeetingID === undefined ? undefined : await lookups.meetings.find(nodeMeetingID);
  if (!meeting || meetingID === undefined || nodeMeetingID === undefined) return { kind: 'refused', error: MEETING_ERRORS.forciblyEnded, redirectable: true };
  const node = await lookups.nodeById(meeting.nodeId);
  if (!node) return { kind: 'refused', error: MEETING_ERRORS.accessFailed, redirectable: false };
  // The tenant's stylesheet as a default (a frontend's own wins), then its attendee limit and join rules.
  const css = lookups.assets?.assetOf(meeting.tenant, 'css');
  const verdict = lookups.policy.join(meeting, css ? withDefault(params, CUSTOM_STYLE_PARAM, assetUrl(origin(), meeting.tenant, 'css', css.hash)) : params);
  if (verdict.kind === 'refused') return { kind: 'refused', error: verdict.error, redirectable: true };
  const given = verdict.params === params ? params : new Map(verdict.params);
  const forwarded = [...given].map(([k, v]): [string, string] => [k, k === 'meetingID' ? nodeMeetingID : v]);
  return { kind: 'node', meeting, node, meetingID, nodeMeetingID, forwarded, role: roleOf(given, meeting) };
}

/**
 * The headers of the 302 to the node: a bare redirect like bbb-web's, the URL re-signed for the node. Content-Type
 * and the zero length are what Koa sends for the empty body; the fast path writes them itself.
 */
export function nodeRedirectHeaders(target: Extract<JoinTarget, { kind: 'node' }>): Record<string, string> {
  const { node, forwarded } = target;
  return {
    Location: signedApiUrl(node.apiUrl, 'join', forwarded, node.secret, node.checksumAlgorithm),
    'Cache-Control': 'no-cache',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': '0',
  };
}

/** bbb-web's role resolution: a valid `role` wins, else the password; an unknown one is the node's to refuse. */
function roleOf(params: ReadonlyMap<string, string>, meeting: MeetingView): JoinRole | undefined {
  const role = params.get('role')?.toUpperCase();
  if (role === 'MODERATOR' || role === 'VIEWER') return role;
  const password = params.get('password');
  if (password !== undefined && password === meeting.moderatorPW) return 'MODERATOR';
  if (password !== undefined && password === meeting.attendeePW) return 'VIEWER';
  return undefined;
}
