import type { Context } from 'koa';
import { errorResponse } from '../../domain/bbb/responses.js';

/** A BBB API refusal: every one is HTTP 200 with `FAILED`, as bbb-web answers. */
export interface BbbError {
  key: string;
  message: string;
}

/**
 * The refusals of the front door. Clients switch on `messageKey`, so only keys BBB or Scalelite already use
 * appear; the messages may change. `validationError` is bbb-web's key for a request it cannot make sense of
 * (`Request not recognized`), so it also covers what Tomcat would have refused before bbb-web saw it.
 */
export const BBB_ERRORS = {
  /** bbb-web 2.5+ wording. Also for unknown tenants and sub-ids, so they cannot be told apart (no enumeration). */
  checksum: { key: 'checksumError', message: 'Checksums do not match' },
  /** Scalelite's answer for calls it does not implement. */
  unsupportedRequest: { key: 'unsupportedRequest', message: 'This request is not supported.' },
  unsupportedContentType: { key: 'unsupportedContentType', message: 'POST request Content-Type is missing or unsupported' },
  queryTooLarge: { key: 'validationError', message: 'Request too large: the query string exceeds the limit; send long parameters in a POST body' },
  bodyTooLarge: { key: 'validationError', message: 'Request too large: the body exceeds the limit' },
  malformedQuery: { key: 'validationError', message: 'Request not recognized: the query string is not valid percent-encoded UTF-8' },
  malformedBody: { key: 'validationError', message: 'Request not recognized: the body is not valid percent-encoded UTF-8' },
  /** The event store or Redis did not answer in time: Scalelite's key for its own failures, and a way forward. */
  storeUnavailable: { key: 'internalError', message: 'The load balancer cannot reach its storage right now; nothing was changed. Try again in a few seconds.' },
  /** Scalelite's key for its own failures; the cause goes to the log, never to the client. */
  internal: { key: 'internalError', message: 'The request could not be processed; the error has been logged.' },
} as const satisfies Record<string, BbbError>;

/** The headers of every BBB XML answer, as bbb-web sends them; the fast paths write them too. */
export const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';
export const XML_CACHE_CONTROL = 'no-cache';

/** The one renderer of BBB API answers. */
export function replyXml(ctx: Context, xml: string): void {
  ctx.status = 200;
  ctx.body = xml;
  ctx.set('Content-Type', XML_CONTENT_TYPE);
  ctx.set('Cache-Control', XML_CACHE_CONTROL);
}

export function replyError(ctx: Context, error: BbbError): void {
  replyXml(ctx, errorResponse(error.key, error.message));
}

/**
 * The API root, as a BBB 2.6/2.7 server with `allowRevealOfBBBVersion=false` answers it, the empty element
 * written out as bbb-web's template does (the shared builder would write `<bbbVersion/>`).
 */
export function versionXml(): string {
  return '<response><returncode>SUCCESS</returncode><version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion></bbbVersion></response>';
}
