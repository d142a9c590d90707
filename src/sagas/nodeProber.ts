import { Observable } from 'rxjs';
import type { ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import { parseGetMeetings, type NodeMeeting } from '../domain/bbb/getMeetingsResponse.js';
import { MeetingsParseMemo } from '../domain/bbb/meetingsParseMemo.js';
import type { ProbeFailureReason } from '../domain/node/health.js';
import { parseNodeResources } from '../domain/node/load.js';
import { fetchNode, fetchSigned } from '../nodes/bbbHttp.js';

/** What probing one node needs: where it is, how calls to it are signed, and its load endpoint if any. */
export interface ProbeTarget {
  nodeId: string;
  apiUrl: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
  /** A plain CPU number (B3LB's b3lb-load) or our agent's `{"cpu":…}`; null = none. */
  loadUrl: string | null;
}

/** A probe's outcome: the node's meetings (health, load, reconciliation) and its CPU when it has an endpoint. */
export type ProbeOutcome = { ok: true; meetings: NodeMeeting[]; cpu: number | null; memory?: number | null } | { ok: false; reason: ProbeFailureReason; detail: string };

/**
 * The poll's port: one probe, emitting one outcome and completing. Unsubscribing cancels it, so a probe cut
 * off by the saga's timeout or by shutdown leaves no request behind.
 */
export type NodeProber = (target: ProbeTarget) => Observable<ProbeOutcome>;

export interface ProbeOptions {
  timeoutMs: number;
  /** `NODE_LOAD_PLAIN_SCALE`: what a plain number from a load endpoint is divided by. */
  loadPlainScale?: number;
}

/**
 * Probes with a signed `getMeetings`, as BBBLB and Scalelite do: it proves bbb-web, the secret and the XML. Each
 * node's last answer is remembered parsed, so the next poll parses only the meetings that changed.
 */
export function httpNodeProber(options: ProbeOptions): NodeProber {
  const memos = new Map<string, MeetingsParseMemo>();
  const memoOf = (nodeId: string): MeetingsParseMemo => {
    let memo = memos.get(nodeId);
    if (!memo) memos.set(nodeId, (memo = new MeetingsParseMemo()));
    return memo;
  };
  return (target) =>
    new Observable<ProbeOutcome>((subscriber) => {
      const cancel = new AbortController();
      void probeNode(target, { ...options, signal: cancel.signal, memo: memoOf(target.nodeId) }).then((outcome) => {
        subscriber.next(outcome);
        subscriber.complete();
      });
      return () => cancel.abort();
    });
}

/** Never throws. The load endpoint is asked alongside; its failure costs the CPU figure, never the health. */
export async function probeNode(target: ProbeTarget, options: ProbeOptions & { signal?: AbortSignal; memo?: MeetingsParseMemo }): Promise<ProbeOutcome> {
  const call = { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
  const node = { id: target.nodeId, apiUrl: target.apiUrl, secret: target.secret, checksumAlgorithm: target.checksumAlgorithm };
  const [meetings, load] = await Promise.all([
    fetchSigned(node, 'getMeetings', [], call),
    target.loadUrl ? fetchNode(target.loadUrl, { ...call, accept: 'text/plain, application/json' }) : undefined,
  ]);
  if (!meetings.ok) return meetings;
  const parsed = parseGetMeetings(meetings.text, options.memo);
  if (!parsed.ok) return parsed;
  const { cpu, memory } = load?.ok ? parseNodeResources(load.text, options.loadPlainScale ?? DEFAULT_LOAD_PLAIN_SCALE) : { cpu: null, memory: null };
  return { ok: true, meetings: parsed.meetings, cpu, memory };
}

export const DEFAULT_LOAD_PLAIN_SCALE = 10_000;
