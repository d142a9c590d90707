import type { IncomingMessage, ServerResponse } from 'node:http';
import { unstorableParam } from '../../domain/bbb/storableText.js';
import type { TenantAddress } from '../../domain/tenant/addressing.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';
import { requestIdOf } from '../requestId.js';
import type { BbbCall } from './bbbCalls.js';
import { verifiedAddress } from './checksumGuard.js';
import { decodeForm, firstValues } from './formEncoding.js';
import { DEFAULT_MAX_QUERY_BYTES } from './frontDoor.js';
import { hasBody } from './rawBody.js';
import { resolveBbbRoute } from './tenantResolution.js';

/** Answers a request itself (true) or leaves it untouched for the next handler (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface FastFrontDoorDeps {
  tenantDirectory: Pick<TenantDirectory, 'secretsFor'>;
  baseDomain: string | undefined;
  /** As the front door's `maxQueryBytes`. */
  maxQueryBytes?: number;
}

/** What the front door would put on `ctx.state.bbb` for a plain GET without a body. */
export interface FastRequest extends TenantAddress {
  /** Query parameters, the first value of a name wins; without `checksum`. */
  params: Map<string, string>;
}

/** Characters that make parseurl (Koa's `ctx.path`/`ctx.querystring`) take its slow, different route. */
const UNUSUAL_TARGET = /[\t\n\f\r #\u00a0\ufeff]/;

/**
 * The one implementation of the front door's checks for the fast paths in front of Koa (fastJoin.ts,
 * fastGetMeetings.ts): a plain GET without a body on `call`'s path, target and Host as Koa reads them (no
 * `app.proxy`: X-Forwarded-Host is not trusted), the query within the limit and well formed, the checksum
 * verified with frontDoor.ts's own functions. Undefined for anything the fast path must leave to Koa.
 */
export function fastFrontDoor(req: IncomingMessage, call: BbbCall, deps: FastFrontDoorDeps): FastRequest | undefined {
  if (req.method !== 'GET' || hasBody(req)) return undefined;
  const url = req.url ?? '';
  const host = req.headers.host ?? '';
  if (!url.startsWith('/') || UNUSUAL_TARGET.test(url) || host.includes(',') || host.includes('@')) return undefined;
  const q = url.indexOf('?');
  const route = resolveBbbRoute(host, q < 0 ? url : url.slice(0, q), deps.baseDomain);
  if (route?.call !== call) return undefined;
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (rawQuery.length > (deps.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES)) return undefined;
  const query = decodeForm(rawQuery, false);
  if (!query.ok) return undefined;
  const address = verifiedAddress(deps.tenantDirectory, route.address, call, rawQuery, query.pairs);
  if (!address) return undefined;
  const params = firstValues(query.pairs);
  params.delete('checksum');
  // The front door refuses these (validationError): Koa's to answer.
  if (unstorableParam(params) !== undefined) return undefined;
  // Not `{ ...address, params }`: a spread followed by a new property is slow in Node 20's V8 (~1 µs a request).
  const { tenant, subId, scope } = address;
  return { tenant, subId, scope, params };
}

/** The request id the Koa path would echo (requestId.ts). */
export function fastRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return requestIdOf(typeof given === 'string' ? given : undefined);
}

/** The first of `paths` that answers; each gets the request untouched by the others. */
export function anyFastPath(...paths: readonly FastPath[]): FastPath {
  return async function anyFastPathOf(req, res) {
    for (const path of paths) if (await path(req, res)) return true;
    return false;
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
