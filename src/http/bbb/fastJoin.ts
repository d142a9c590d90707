import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JoinRecorder } from '../../commands/joinRecorder.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';
import { requestIdOf } from '../requestId.js';
import { verifiedAddress } from './checksumGuard.js';
import { decodeForm, firstValues } from './formEncoding.js';
import { DEFAULT_MAX_QUERY_BYTES } from './frontDoor.js';
import { nodeRedirectHeaders, redirectWanted, resolveJoin, type JoinLookups } from './joinTarget.js';
import { hasBody } from './rawBody.js';
import { resolveBbbRoute } from './tenantResolution.js';

/** Answers a request itself (true) or leaves it untouched for the next handler (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface FastJoinDeps extends JoinLookups {
  tenantDirectory: Pick<TenantDirectory, 'secretsFor'>;
  baseDomain: string | undefined;
  /** As the front door's `maxQueryBytes`. */
  maxQueryBytes?: number;
  joinRecorder: Pick<JoinRecorder, 'record'>;
}

/** Characters that make parseurl (Koa's `ctx.path`/`ctx.querystring`) take its slow, different route. */
const UNUSUAL_TARGET = /[\t\n\f\r #\u00a0\ufeff]/;

/**
 * The join that succeeds with a redirect, answered without Koa: it is the hot call of the BBB API, and Koa's
 * per-request work (context, five middlewares) costs more than the join itself (docs/benchmarks.md). It runs
 * the front door's checks with the same functions, resolves and answers with joinTarget.ts like joinCall, and
 * records the join in the same recorder. Anything else — every refusal, `redirect=false`, another method, a
 * body, an unusual request target or Host, a failing lookup — is left untouched for Koa, so every error
 * answer still comes from one place. The body is never read.
 */
export function fastJoin(deps: FastJoinDeps): FastPath {
  const maxQueryBytes = deps.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES;

  return async function fastJoinPath(req, res) {
    // 1. a plain GET on a BBB join path, target and Host as Koa reads them (no `app.proxy`: X-Forwarded-Host is not trusted)
    if (req.method !== 'GET' || hasBody(req)) return false;
    const url = req.url ?? '';
    const host = req.headers.host ?? '';
    if (!url.startsWith('/') || UNUSUAL_TARGET.test(url) || host.includes(',') || host.includes('@')) return false;
    const q = url.indexOf('?');
    const route = resolveBbbRoute(host, q < 0 ? url : url.slice(0, q), deps.baseDomain);
    if (route?.call !== 'join') return false;
    // 2. the front door's query checks and checksum, on the query as received
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    if (rawQuery.length > maxQueryBytes) return false;
    const query = decodeForm(rawQuery, false);
    if (!query.ok) return false;
    const address = verifiedAddress(deps.tenantDirectory, route.address, 'join', rawQuery);
    if (!address) return false;
    const params = firstValues(query.pairs);
    params.delete('checksum');
    if (!redirectWanted(params)) return false;
    // 3. the meeting and its node; a lookup that fails is Koa's to log and answer
    const target = await resolveJoin(params, address.scope, deps).catch(() => undefined);
    if (target?.kind !== 'node') return false;
    // 4. as joinCall: count, then the 302 with the request id the Koa path would echo
    const given = req.headers['x-request-id'];
    const requestId = requestIdOf(typeof given === 'string' ? given : undefined);
    if (target.role) deps.joinRecorder.record(target.meeting, target.role, requestId);
    res.writeHead(302, { 'X-Request-Id': requestId, ...nodeRedirectHeaders(target) });
    res.end();
    return true;
  };
}

/** Tries `fast`, then hands the request to `fallback` (Koa's callback) untouched; true when `fast` answered. */
export function withFastPath(fast: FastPath, fallback: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return async function requestListener(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    // A fast path that throws before answering leaves the request to Koa, which logs and answers the failure.
    if (await fast(req, res).catch(() => res.headersSent)) return true;
    await fallback(req, res);
    return false;
  };
}
