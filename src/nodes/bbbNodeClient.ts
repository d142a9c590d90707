import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ChecksumAlgorithm } from '../domain/bbb/checksum.js';
import { signedApiUrl } from '../domain/bbb/apiUrl.js';

/** Where and how to call one node: its API base, and the secret and algorithm it checks checksums with. */
export interface NodeAddress {
  id: string;
  apiUrl: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
}

export type NodeFailureReason = 'timeout' | 'connection' | 'http' | 'badXml' | 'checksumError';

/** The children of the node's `<response>`, every value as text (or nested objects). */
export type BbbResponseDoc = { returncode: string; messageKey?: string; message?: string } & Record<string, unknown>;

/** A node's answer: BBB XML (SUCCESS or a FAILED the caller must judge), or why there is none. Never throws. */
export type NodeCallResult =
  | { kind: 'ok'; xml: string; doc: BbbResponseDoc }
  | { kind: 'failed'; reason: NodeFailureReason; detail: string };

export interface NodeCallOptions {
  /** Sent byte for byte with POST (create's or insertDocument's XML); the parameters stay in the query. */
  body?: { bytes: Uint8Array; contentType: string };
}

/** Outbound BBB API calls, behind a port so the handlers never see HTTP details. */
export interface BbbNodeClient {
  call(node: NodeAddress, call: string, params: ReadonlyArray<readonly [string, string]>, options?: NodeCallOptions): Promise<NodeCallResult>;
}

export const DEFAULT_NODE_TIMEOUT_MS = 5000;

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

export function createBbbNodeClient(options: { timeoutMs?: number } = {}): BbbNodeClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
  return {
    async call(node, call, params, callOptions = {}) {
      const url = signedApiUrl(node.apiUrl, call, params, node.secret, node.checksumAlgorithm);
      const init: RequestInit = { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) };
      if (callOptions.body) {
        init.method = 'POST';
        init.headers = { 'Content-Type': callOptions.body.contentType };
        init.body = callOptions.body.bytes;
      }
      let status: number;
      let xml: string;
      try {
        const response = await fetch(url, init);
        status = response.status;
        xml = await response.text();
      } catch (error) {
        return transportFailure(error, timeoutMs);
      }
      if (status < 200 || status > 299) return { kind: 'failed', reason: 'http', detail: `HTTP ${status}` };
      return parseBbbXml(xml);
    },
  };
}

/** Only a well-formed `<response>` with a returncode counts as a BBB answer; HTML and truncated XML do not. */
export function parseBbbXml(xml: string): NodeCallResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { kind: 'failed', reason: 'badXml', detail: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const parsed: unknown = parser.parse(xml);
  const response = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).response : undefined;
  if (typeof response !== 'object' || response === null || typeof (response as Record<string, unknown>).returncode !== 'string') {
    return { kind: 'failed', reason: 'badXml', detail: `not a BBB answer: ${xml.slice(0, 80)}` };
  }
  const doc = response as BbbResponseDoc;
  // The node refused our signature: its secret or algorithm in the node registry is wrong, not the client's.
  if (doc.returncode === 'FAILED' && doc.messageKey === 'checksumError') {
    return { kind: 'failed', reason: 'checksumError', detail: 'the node refused the checksum; check its registered secret and algorithm' };
  }
  return { kind: 'ok', xml, doc };
}

function transportFailure(error: unknown, timeoutMs: number): NodeCallResult {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'failed', reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : undefined;
  const detail = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { kind: 'failed', reason: 'connection', detail };
}

/** Text of a child of `<response>`; undefined when absent or not text. Empty elements read as ''. */
export function textOf(doc: BbbResponseDoc, element: string): string | undefined {
  const value = doc[element];
  return typeof value === 'string' ? value : undefined;
}
