import type { JoinRecorder } from '../../commands/observations/joinRecorder.js';
import { fastFrontDoor, fastRequestId, type FastFrontDoorDeps, type FastPath } from './fastPath.js';
import { rawOriginOf } from '../publicOrigin.js';
import { nodeRedirectHeaders, redirectWanted, resolveJoin, type JoinLookups } from './joinTarget.js';

export interface FastJoinDeps extends JoinLookups, FastFrontDoorDeps {
  joinRecorder: Pick<JoinRecorder, 'record'>;
  /** `PUBLIC_URL`: the origin of the stylesheet URL; absent = the request's own. */
  publicUrl?: string;
}

/**
 * The join that succeeds with a redirect, answered without Koa: it is the hot call of the BBB API, and Koa's
 * per-request work (context, five middlewares) costs more than the join itself (docs/benchmarks.md). It runs
 * the front door's checks with the same functions (fastPath.ts), resolves and answers with joinTarget.ts like
 * joinCall, and records the join in the same recorder. Anything else — every refusal, `redirect=false`, another
 * method, a body, an unusual request target or Host, a failing lookup — is left untouched for Koa, so every
 * error answer still comes from one place. The body is never read.
 */
export function fastJoin(deps: FastJoinDeps): FastPath {
  return async function fastJoinPath(req, res) {
    // 1. the front door's checks and checksum, on the request as received
    const request = fastFrontDoor(req, 'join', deps);
    if (!request || !redirectWanted(request.params)) return false;
    // 2. the meeting and its node; a lookup that fails is Koa's to log and answer
    const target = await resolveJoin(request.params, request.scope, deps, () => rawOriginOf(req, deps.publicUrl)).catch(() => undefined);
    if (target?.kind !== 'node') return false;
    // 3. as joinCall: count, then the 302 with the request id the Koa path would echo
    const requestId = fastRequestId(req);
    if (target.role) deps.joinRecorder.record(target.meeting, target.role, requestId);
    res.writeHead(302, { 'X-Request-Id': requestId, ...nodeRedirectHeaders(target) });
    res.end();
    return true;
  };
}
