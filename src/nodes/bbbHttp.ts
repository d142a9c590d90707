import { encodeQuery, type ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import { signedApiUrl } from '../domain/bbb/apiUrl.js';

/** Where and how to call one node: its API base, and the secret and algorithm it checks checksums with. */
export interface NodeAddress {
  id: string;
  apiUrl: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
}

export type NodeFailureReason = 'timeout' | 'connection' | 'http' | 'badXml' | 'checksumError';

/** A 2xx answer's body, or why there is none. */
export type FetchResult = { ok: true; text: string } | { ok: false; reason: NodeFailureReason; detail: string };

export interface FetchOptions {
  timeoutMs: number;
  /** The caller's cancellation (a saga unsubscribing, shutdown); reported as `timeout` like the deadline. */
  signal?: AbortSignal;
  /** Sent byte for byte with POST; the parameters stay in the query. */
  body?: { bytes: Uint8Array; contentType: string };
  accept?: string;
}

/**
 * Longest query sent to a node; longer parameters go in a form POST body. Tomcat in front of bbb-web and
 * nginx refuse request lines past 8 KiB, and the node meeting ID makes a forwarded query longer than the
 * client's.
 */
export const MAX_NODE_QUERY_BYTES = 4 * 1024;
const FORM_URLENCODED = 'application/x-www-form-urlencoded';

/**
 * The one outbound BBB call: signs it, then fetches it like any node URL. Never throws. Parameters too long
 * for a query (a create with thousands of `meta_`) are POSTed as a form, signed over the empty query as bbb-web
 * checks a POST (reference §2.4); join stays a GET (bbb-web 3.0 takes nothing else).
 */
export function fetchSigned(node: NodeAddress, call: string, params: ReadonlyArray<readonly [string, string]>, options: FetchOptions): Promise<FetchResult> {
  if (options.body === undefined && call !== 'join') {
    const form = encodeQuery(params);
    if (form.length > MAX_NODE_QUERY_BYTES) {
      const body = { bytes: Buffer.from(form, 'latin1'), contentType: FORM_URLENCODED };
      return fetchNode(signedApiUrl(node.apiUrl, call, [], node.secret, node.checksumAlgorithm), { ...options, body });
    }
  }
  return fetchNode(signedApiUrl(node.apiUrl, call, params, node.secret, node.checksumAlgorithm), options);
}

/** GET (or POST with a body) under a deadline and the caller's signal; every failure becomes a reason. */
export async function fetchNode(url: string, options: FetchOptions): Promise<FetchResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const init: RequestInit = { method: 'GET', redirect: 'manual', signal, headers: { accept: options.accept ?? 'application/xml, text/xml' } };
  if (options.body) {
    init.method = 'POST';
    init.headers = { 'Content-Type': options.body.contentType };
    init.body = options.body.bytes;
  }
  let status: number;
  let text: string;
  try {
    // The body is read under the same signal: a node that sends headers and then stalls still times out.
    const response = await fetch(url, init);
    status = response.status;
    text = await response.text();
  } catch (error) {
    return transportFailure(error, options.timeoutMs, deadline.aborted);
  }
  if (status < 200 || status > 299) return { ok: false, reason: 'http', detail: `HTTP ${status}` };
  return { ok: true, text };
}

function transportFailure(error: unknown, timeoutMs: number, deadlinePassed: boolean): FetchResult {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || (name === 'AbortError' && deadlinePassed)) return { ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  if (name === 'AbortError') return { ok: false, reason: 'timeout', detail: 'call cancelled' };
  // undici reports refused and reset connections as "fetch failed" with the system error as the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : undefined;
  const detail = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { ok: false, reason: 'connection', detail };
}
