/**
 * Why a render failed. `noInput`, `ffmpegFailed` and `timeout` are RecordingRenderFailed reasons as they are
 * (src/domain/recording/events.ts); the other two are not failures of the recording:
 * - `noInput`: the recording has no `video/webcams.(mp4|webm)`; retrying cannot help.
 * - `ffmpegFailed`: ffmpeg (or ffprobe) exited non-zero or was killed by a signal, e.g. damaged input.
 * - `timeout`: it ran past its time limit and was killed.
 * - `aborted`: the caller cancelled (shutdown); the render runs again later, no failure is recorded.
 * - `ffmpegMissing`: no ffmpeg executable at the path given (removed after start); rendering is off.
 */
export type RenderFailureReason = 'noInput' | 'ffmpegFailed' | 'timeout' | 'aborted' | 'ffmpegMissing';

export class RenderError extends Error {
  readonly code = 'RENDER_FAILED';

  constructor(
    readonly reason: RenderFailureReason,
    detail: string,
    /** ffmpeg's last stderr lines, the part that says what went wrong. */
    readonly stderrTail: string[] = [],
  ) {
    super(stderrTail.length > 0 ? `${detail} (${reason}); ffmpeg said:\n${stderrTail.join('\n')}` : `${detail} (${reason})`);
    this.name = 'RenderError';
  }

  /** Whether another attempt may succeed: a crash or a timeout may be load or a transient disk problem. */
  get retryable(): boolean {
    return this.reason === 'ffmpegFailed' || this.reason === 'timeout';
  }
}
