/**
 * When a node's next probe starts. A healthy node is probed on its own grid, `firstAt + k·intervalMs`: the
 * per-node spread of first probes survives any failure episode (a blip that hits every node does not leave
 * them probing in step), and a probe slower than the interval skips the ticks it overran. A failing node is
 * re-probed `retryMs` after the failed probe ended, so `failThreshold` failures take about
 * `failThreshold · retryMs` instead of as many intervals; once that many failures in a row made it offline it
 * is back on its grid, so a dead node is not asked every `retryMs` for as long as it stays dead.
 */
export interface ProbeCadence {
  /** The first probe, ms on the scheduler's clock (loop start + the node's spread offset). */
  firstAt: number;
  /** `POLL_INTERVAL_MS` */
  intervalMs: number;
  /** `POLL_RETRY_MS`, at most `intervalMs`. */
  retryMs: number;
  /** `HEALTH_FAIL_THRESHOLD`: failures in a row after which the node is offline. */
  failThreshold: number;
}

/**
 * Start of the next probe, never before `endedAt` (the end of the last probe: probes never overlap).
 * `failuresInARow` counts the last probe: 0 after a success.
 */
export function nextProbeAt(cadence: ProbeCadence, failuresInARow: number, endedAt: number): number {
  const { firstAt, intervalMs, retryMs, failThreshold } = cadence;
  const nextTick = firstAt + (Math.floor((endedAt - firstAt) / intervalMs) + 1) * intervalMs;
  const failing = failuresInARow > 0 && failuresInARow < failThreshold;
  return failing ? Math.min(endedAt + retryMs, nextTick) : nextTick;
}
