import { isOutage } from '../../availability.js';
import type { Context, Next } from 'koa';
import type { Logger } from '../../logging.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';
import { allowedContentTypes, FORM_URLENCODED, isBbbCall, mediaTypeOf, type BbbCall } from './bbbCalls.js';
import { BBB_ERRORS, replyError, replyXml, versionXml, type BbbError } from './bbbReply.js';
import { verifiedAddress } from './checksumGuard.js';
import { decodeForm, firstValues } from './formEncoding.js';
import { hasBody, readRawBody } from './rawBody.js';
import { resolveBbbRoute } from './tenantResolution.js';

export interface BbbFrontDoorDeps {
  tenantDirectory: Pick<TenantDirectory, 'secretsFor'>;
  /** `BASE_DOMAIN`: tenants are `<tenant>[-NNN].<baseDomain>`; undefined = only `/t/<tenant>/…` paths. */
  baseDomain: string | undefined;
  logger: Logger;
  /** Longest raw query string accepted; default 8 KiB, Tomcat's default header limit in front of bbb-web. */
  maxQueryBytes?: number;
  /** Longest POST body accepted (create and insertDocument XML); default 10 MiB. */
  maxBodyBytes?: number;
}

/** What the call handlers after the front door get on `ctx.state.bbb`. */
export interface BbbRequest {
  tenant: string;
  subId: number;
  /** Meeting-isolation key: `acme` for sub 0, `acme-007` for sub 7 (see TenantAddress). */
  scope: string;
  call: BbbCall;
  /** Query parameters, then form-body parameters; the first value of a name wins; without `checksum`. */
  params: ReadonlyMap<string, string>;
  /** As received, checksum included: the bytes the client signed. */
  rawQuery: string;
  /** The POST body as sent (create/insertDocument XML, multipart); undefined for a request without one. */
  rawBody: Buffer | undefined;
  /** Lower-case media type of the body, without parameters. */
  contentType: string | undefined;
}

export const DEFAULT_MAX_QUERY_BYTES = 8 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const METHODS = new Set(['GET', 'HEAD', 'POST']);

/** Refusal with a BBB answer, thrown inside the front door only. */
class Refusal extends Error {
  constructor(readonly answer: BbbError) {
    super(answer.message);
  }
}

/**
 * The BBB API entrance, in the order it runs: 1. resolve the tenant, 2. refuse oversized or malformed
 * queries, 3. answer the API root, 4. verify the checksum, 5. refuse unknown calls and methods, 6. check the
 * body's media type and read it, 7. put the request on `ctx.state.bbb` and hand over to the call handlers.
 * Requests outside the BBB API paths pass straight through. Nothing below answers anything but BBB XML.
 */
export function bbbFrontDoor(deps: BbbFrontDoorDeps) {
  const maxQueryBytes = deps.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async function bbbFrontDoorMiddleware(ctx: Context, next: Next): Promise<void> {
    const route = resolveBbbRoute(ctx.host, ctx.path, deps.baseDomain);
    if (!route) return next();
    try {
      // Koa's querystring is the request target's query as received, undecoded: what the client signed.
      const rawQuery = ctx.querystring;
      if (rawQuery.length > maxQueryBytes) throw new Refusal(BBB_ERRORS.queryTooLarge);
      const query = decodeForm(rawQuery, false);
      if (!query.ok) throw new Refusal(BBB_ERRORS.malformedQuery);
      if (route.call === '') return replyXml(ctx, versionXml());
      const { call } = route;
      const address = verifiedAddress(deps.tenantDirectory, route.address, call, rawQuery, query.pairs);
      if (!address) throw new Refusal(BBB_ERRORS.checksum);
      if (!isBbbCall(call) || !METHODS.has(ctx.method)) throw new Refusal(BBB_ERRORS.unsupportedRequest);
      const body = await readBody(ctx, call, maxBodyBytes);
      const params = firstValues(query.pairs);
      if (body.formPairs) firstValues(body.formPairs, params);
      params.delete('checksum');
      const { tenant, subId, scope } = address;
      const request: BbbRequest = { tenant, subId, scope, call, params, rawQuery, rawBody: body.raw, contentType: body.contentType };
      ctx.state.bbb = request;
      await next();
      if (ctx.body === undefined || ctx.body === null) throw new Refusal(BBB_ERRORS.unsupportedRequest);
    } catch (error) {
      if (error instanceof Refusal) return replyError(ctx, error.answer);
      // The store's monitor logs an outage once; each refused request is not news.
      if (isOutage(error)) {
        deps.logger.debug({ err: error, path: ctx.path, requestId: ctx.state.requestId }, 'BBB API request refused: a store is unavailable');
        return replyError(ctx, BBB_ERRORS.storeUnavailable);
      }
      deps.logger.error({ err: error, method: ctx.method, path: ctx.path, requestId: ctx.state.requestId }, 'BBB API request failed');
      replyError(ctx, BBB_ERRORS.internal);
    }
  };
}

/** Handlers read the front door's result through this, never `ctx.state.bbb` directly. */
export function bbbRequestOf(ctx: Context): BbbRequest {
  const request: unknown = ctx.state.bbb;
  if (typeof request !== 'object' || request === null) throw new Error('bbbRequestOf: the BBB front door did not run');
  return request as BbbRequest;
}

interface ReadBody {
  raw: Buffer | undefined;
  contentType: string | undefined;
  formPairs: [string, string][] | undefined;
}

async function readBody(ctx: Context, call: BbbCall, maxBodyBytes: number): Promise<ReadBody> {
  // An empty POST has nothing to misread, so unlike bbb-web it needs no Content-Type.
  if (ctx.method !== 'POST' || !hasBody(ctx.req)) return { raw: undefined, contentType: undefined, formPairs: undefined };
  const header = ctx.get('Content-Type');
  const contentType = header ? mediaTypeOf(header) : undefined;
  if (!contentType || !allowedContentTypes(call).includes(contentType)) throw new Refusal(BBB_ERRORS.unsupportedContentType);
  const raw = await readRawBody(ctx.req, maxBodyBytes);
  if (!raw) {
    // The rest of the upload is not worth reading: close the connection after answering.
    ctx.set('Connection', 'close');
    throw new Refusal(BBB_ERRORS.bodyTooLarge);
  }
  if (contentType !== FORM_URLENCODED) return { raw, contentType, formPairs: undefined };
  const form = decodeForm(raw.toString('latin1'), true);
  if (!form.ok) throw new Refusal(BBB_ERRORS.malformedBody);
  return { raw, contentType, formPairs: form.pairs };
}
