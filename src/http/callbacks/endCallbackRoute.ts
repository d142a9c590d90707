import type { Context, Next } from 'koa';
import type { CommandContext } from '../../commands/decider/handleCommand.js';
import { receiveEndCallback, type EndCallbackDeps } from '../../commands/workflows/endCallbackReceived.js';
import { END_CALLBACK_PATH, type EndCallbackClaim } from '../../domain/delivery/endCallbacks.js';
import type { EndCallbackKind } from '../../domain/delivery/events.js';
import { HttpProblem } from '../problems.js';

export interface EndCallbackRouteDeps extends EndCallbackDeps {
  now(): Date;
  newId(): string;
}

const KINDS: readonly string[] = ['endCallbackUrl', 'meetingEndedURL'] satisfies EndCallbackKind[];
const FORBIDDEN = 'This callback URL is not one bbb-ledger gave a node, or it was already used; nothing was ended.';

/**
 * `GET|POST /callbacks/meeting-ended/<kind>/<nodeMeetingID>/<incarnation>/<mac>?recordingmarks=…&meetingID=…`:
 * what a node calls at a meeting's end instead of the client's URL (bbb-web sends a GET). 200 once; a forged,
 * unknown or repeated URL gets 403 and changes nothing.
 */
export function endCallbackRoute(deps: EndCallbackRouteDeps) {
  const prefix = `${END_CALLBACK_PATH}/`;
  return async function endCallbackMiddleware(ctx: Context, next: Next): Promise<void> {
    if (!ctx.path.startsWith(prefix)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'POST') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', 'An end callback is called with GET (or POST).', { allow: 'GET, POST' });
    const claim = claimOf(ctx.path.slice(prefix.length));
    if (!claim) throw new HttpProblem(403, 'CALLBACK_FORBIDDEN', 'Forbidden', FORBIDDEN);
    const requestId = String(ctx.state.requestId ?? deps.newId());
    const context = (): CommandContext => ({ actor: `node-callback:${claim.claim.nodeMeetingID}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: deps.newId() });
    const recordingmarks = ctx.query.recordingmarks === 'true';
    const outcome = await receiveEndCallback(deps, claim.claim, claim.mac, recordingmarks, context);
    if (outcome.kind !== 'accepted') throw new HttpProblem(403, 'CALLBACK_FORBIDDEN', 'Forbidden', FORBIDDEN);
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = 'OK';
  };
}

function claimOf(rest: string): { claim: EndCallbackClaim; mac: string } | undefined {
  const parts = rest.split('/');
  if (parts.length !== 4) return undefined;
  const [kind, encodedId, incarnationText, mac] = parts as [string, string, string, string];
  if (!KINDS.includes(kind) || !/^[1-9]\d{0,8}$/.test(incarnationText) || mac === '') return undefined;
  let nodeMeetingID: string;
  try {
    nodeMeetingID = decodeURIComponent(encodedId);
  } catch {
    return undefined;
  }
  return { claim: { kind: kind as EndCallbackKind, nodeMeetingID, incarnation: Number(incarnationText) }, mac };
}
