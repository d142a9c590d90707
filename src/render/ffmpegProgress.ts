/** Where a running render is, from ffmpeg's `-progress pipe:1` blocks. */
export interface RenderProgress {
  /** Seconds of output written so far. */
  outSeconds: number;
  /** Length of the recording being rendered. */
  totalSeconds: number;
  /** outSeconds / totalSeconds, 0–1. */
  fraction: number;
  /** Output seconds per wall-clock second (ffmpeg's `speed=1.5x`), when ffmpeg knows it. */
  speed: number | undefined;
  /** True on the last block (`progress=end`). */
  done: boolean;
}

/**
 * Folds ffmpeg's progress lines (`key=value`, each block ending in `progress=continue|end`) into one
 * RenderProgress per block. Feed it whole lines; partial lines are the caller's to join.
 */
export function progressReader(totalSeconds: number): (line: string) => RenderProgress | undefined {
  let outSeconds = 0;
  let speed: number | undefined;
  return (line) => {
    const eq = line.indexOf('=');
    if (eq < 0) return undefined;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    // out_time_ms is microseconds too (an old ffmpeg misnomer); out_time_us is the honest name.
    if (key === 'out_time_us' || key === 'out_time_ms') {
      const us = Number(value);
      if (Number.isFinite(us) && us >= 0) outSeconds = us / 1e6;
    } else if (key === 'speed') {
      const x = Number.parseFloat(value);
      speed = Number.isFinite(x) ? x : undefined;
    } else if (key === 'progress') {
      const done = value === 'end';
      const fraction = totalSeconds > 0 ? Math.min(1, outSeconds / totalSeconds) : done ? 1 : 0;
      return { outSeconds, totalSeconds, fraction: done ? 1 : fraction, speed, done };
    }
    return undefined;
  };
}
