import { Observable } from 'rxjs';
import { signedApiUrl } from '../domain/bbb/apiUrl.js';
import type { ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import { parseGetMeetings, type NodeMeeting } from '../domain/bbb/getMeetingsResponse.js';
import type { ProbeFailureReason } from '../domain/node/health.js';

/** What probing one node needs: where it is and how calls to it are signed. */
export interface ProbeTarget {
  nodeId: string;
  apiUrl: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
}

/** A probe's outcome; the meetings ride along for the load reports and reconciliation still to come. */
export type ProbeOutcome = { ok: true; meetings: NodeMeeting[] } | { ok: false; reason: ProbeFailureReason; detail: string };

/**
 * The health saga's port: one probe, emitting one outcome and completing. Unsubscribing cancels it, so a
 * probe cut off by the saga's timeout or by shutdown leaves no request behind.
 */
export type NodeProber = (target: ProbeTarget) => Observable<ProbeOutcome>;

/** Probes with a signed `getMeetings`, as BBBLB and Scalelite do: it proves bbb-web, the secret and the XML. */
export function httpNodeProber(options: { timeoutMs: number }): NodeProber {
  return (target) =>
    new Observable<ProbeOutcome>((subscriber) => {
      const cancel = new AbortController();
      void probeNode(target, { timeoutMs: options.timeoutMs, signal: cancel.signal }).then((outcome) => {
        subscriber.next(outcome);
        subscriber.complete();
      });
      return () => cancel.abort();
    });
}

/** Never throws: every way a node can fail is an outcome with a reason. */
export async function probeNode(target: ProbeTarget, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ProbeOutcome> {
  const url = signedApiUrl(target.apiUrl, 'getMeetings', [], target.secret, target.checksumAlgorithm);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let status: number;
  let xml: string;
  try {
    // The body is read under the same signal: a node that sends headers and then stalls still times out.
    const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'application/xml, text/xml' } });
    status = response.status;
    xml = await response.text();
  } catch (error) {
    return transportFailure(error, options.timeoutMs);
  }
  if (status !== 200) return { ok: false, reason: 'http', detail: `HTTP ${status}` };
  const parsed = parseGetMeetings(xml);
  return parsed.ok ? { ok: true, meetings: parsed.meetings } : parsed;
}

function transportFailure(error: unknown, timeoutMs: number): ProbeOutcome {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return { ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  if (name === 'AbortError') return { ok: false, reason: 'timeout', detail: 'probe cancelled' };
  // undici reports refused and reset connections as "fetch failed" with the system error as the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : undefined;
  const detail = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { ok: false, reason: 'connection', detail };
}
