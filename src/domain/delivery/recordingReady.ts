/**
 * The recording-ready callback (reference §8.3, §8.5): a client names its URL in a create meta; the node must
 * not see it (it would sign with the node's secret, which the client does not know), so bbb-ledger keeps it
 * in the meeting's events and calls it itself once the recording is imported.
 */

/** The create metas naming a recording-ready URL, in Scalelite's priority order (bn > bbb > canvas). */
export const RECORDING_READY_METAS = ['meta_bn-recording-ready-url', 'meta_bbb-recording-ready-url', 'meta_canvas-recording-ready-url'] as const;

/** bbb-web lower-cases meta names, so `meta_BBB-Recording-Ready-URL` is the same meta. */
const isReadyMeta = (name: string): boolean => (RECORDING_READY_METAS as readonly string[]).includes(name.toLowerCase());

/** The URL the client named, the first non-empty one in priority order. */
export function recordingReadyUrlOf(params: Readonly<Record<string, string>>): string | undefined {
  for (const meta of RECORDING_READY_METAS) {
    for (const [name, value] of Object.entries(params)) {
      if (name.toLowerCase() === meta && value.trim() !== '') return value.trim();
    }
  }
  return undefined;
}

/** The create's parameters as the node gets them: without any recording-ready meta. */
export function withoutRecordingReadyUrls(params: ReadonlyArray<readonly [string, string]>): [string, string][] {
  return params.filter(([name]) => !isReadyMeta(name)).map(([name, value]): [string, string] => [name, value]);
}

/** One delivery per recording: a replayed log, a re-import or a replaced format finds it already asked for. */
export const recordingReadyDeliveryId = (recordId: string): string => `ready-${recordId}`;

export const RECORDING_READY_CONTENT_TYPE = 'application/x-www-form-urlencoded';
