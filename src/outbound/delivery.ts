import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { nextRetry, type RetryDecision, type RetryPolicy } from '../retryPolicy.js';
import { checkOutboundUrl, type OutboundOptions, type OutboundRefusal, type ResolvedAddress } from './checkOutboundUrl.js';

export interface DeliveryRequest extends OutboundOptions {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** The whole delivery, every redirect hop included, ends by then (`timeout`). */
  deadlineMs: number;
  /** Redirects followed at most; each hop is checked like the first URL. Default 5. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

/**
 * How one attempt ended, for the delivery's event and the retry decision:
 * - `delivered`: a 2xx answer.
 * - `gone`: 404 or 410, the receiver does not want it (BBB and Scalelite stop there too).
 * - `refused`: the URL or a redirect's target is one callbacks may not reach; retrying cannot help.
 * - `failed`: anything else; `retryable` for network errors, timeouts, 408, 429 and 5xx.
 */
export type DeliveryOutcome =
  | { outcome: 'delivered'; status: number; url: string }
  | { outcome: 'gone'; status: number; url: string }
  | { outcome: 'refused'; reason: OutboundRefusal; message: string; url: string }
  | { outcome: 'failed'; status?: number; message: string; retryable: boolean; url: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_DRAINED_BYTES = 64 * 1024;

/** One attempt at an outgoing call: checked, pinned to the checked address, redirects re-checked hop by hop. */
export async function deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const deadline = AbortSignal.timeout(request.deadlineMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  let url = request.url;
  let method = request.method;
  let body = request.body;
  for (let hop = 0; ; hop++) {
    const check = await checkOutboundUrl(url, request);
    if (!check.ok) return { outcome: 'refused', reason: check.reason, message: check.message, url };
    let response: IncomingMessage;
    try {
      response = await send(check.url, check.addresses, method, body, request.headers ?? {}, signal);
    } catch (error) {
      const timedOut = deadline.aborted;
      const message = timedOut ? `no answer within ${request.deadlineMs} ms` : `could not call ${check.url.host}: ${(error as Error).message}`;
      return { outcome: 'failed', message, retryable: timedOut || !signal.aborted, url };
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    await drain(response);
    if (status >= 200 && status < 300) return { outcome: 'delivered', status, url };
    if (status === 404 || status === 410) return { outcome: 'gone', status, url };
    if (REDIRECTS.has(status)) {
      if (location === undefined) return { outcome: 'failed', status, message: `${status} without a Location`, retryable: false, url };
      if (hop >= (request.maxRedirects ?? 5)) return { outcome: 'failed', status, message: `more than ${request.maxRedirects ?? 5} redirects`, retryable: false, url };
      url = new URL(location, check.url).toString();
      // As browsers do: 301/302/303 turn a POST into a GET without body; 307/308 repeat it as it was.
      if (status !== 307 && status !== 308 && method === 'POST') {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    const retryable = status >= 500 || status === 408 || status === 429;
    return { outcome: 'failed', status, message: `the receiver answered ${status}`, retryable, url };
  }
}

/** Whether and when to try again after the `attempt`-th attempt ended so: only a retryable failure is retried. */
export function retryDelivery(outcome: DeliveryOutcome, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  return outcome.outcome === 'failed' && outcome.retryable ? nextRetry(policy, attempt, random) : { retry: false };
}

function send(url: URL, addresses: ResolvedAddress[], method: string, body: string | undefined, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  // Connect only to the addresses that were checked; Node resolving the name again could get others (DNS
  // rebinding). All of them, so happy eyeballs still falls back from an IPv6 address that does not answer.
  const first = addresses[0] as ResolvedAddress;
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
  const outgoing = { 'user-agent': 'bbb-ledger', ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) };
  return new Promise((resolve, reject) => {
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = make(url, { method, headers: outgoing, lookup, signal, agent: false }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads (a bounded part of) the answer and drops it, so the socket closes cleanly. */
async function drain(response: IncomingMessage): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of response) {
      read += (chunk as Buffer).length;
      if (read > MAX_DRAINED_BYTES) {
        response.destroy();
        return;
      }
    }
  } catch {
    // an answer cut short changes nothing: the status is what counts
  }
}
