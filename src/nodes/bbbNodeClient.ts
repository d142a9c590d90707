import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fetchSigned, type NodeAddress, type NodeFailureReason } from './bbbHttp.js';

export type { NodeAddress, NodeFailureReason } from './bbbHttp.js';

/** The children of the node's `<response>`, every value as text (or nested objects). */
export type BbbResponseDoc = { returncode: string; messageKey?: string; message?: string } & Record<string, unknown>;

/** A node's answer: BBB XML (SUCCESS or a FAILED the caller must judge), or why there is none. Never throws. */
export type NodeCallResult =
  | { kind: 'ok'; xml: string; doc: BbbResponseDoc }
  | { kind: 'failed'; reason: NodeFailureReason; detail: string };

export interface NodeCallOptions {
  /** Sent byte for byte with POST (create's or insertDocument's XML); the parameters stay in the query. */
  body?: { bytes: Uint8Array; contentType: string };
  /** The caller's cancellation; the client's timeout applies as well. */
  signal?: AbortSignal;
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
      const { body, signal } = callOptions;
      const fetched = await fetchSigned(node, call, params, { timeoutMs, ...(body ? { body } : {}), ...(signal ? { signal } : {}) });
      return fetched.ok ? parseBbbXml(fetched.text) : { kind: 'failed', reason: fetched.reason, detail: fetched.detail };
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

/** Text of a child of `<response>`; undefined when absent or not text. Empty elements read as ''. */
export function textOf(doc: BbbResponseDoc, element: string): string | undefined {
  const value = doc[element];
  return typeof value === 'string' ? value : undefined;
}
