/**
 * Render speed per profile, as × realtime (seconds of recording rendered per wall-clock second), on a
 * synthetic BBB-shaped recording made by ffmpeg: webcams 640x480@15 VP8+Opus, deskshare 1280x720@5 VP8 (the
 * BBB defaults, bbb-recordings.md §5). The baseline, run in the same process run, is ffmpeg only decoding the
 * same inputs: the ratio says how much of a render is the encode and layout, independent of how busy the box is.
 * `npm run bench:render`; BENCH_RENDER_SECONDS sets the recording length (default 60).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFfmpeg } from '../src/render/findFfmpeg.js';
import { renderRecording } from '../src/render/renderRecording.js';
import { RENDER_PROFILE_NAMES } from '../src/render/renderProfiles.js';
import { makeSyntheticRecording } from '../test/support/syntheticRecording.js';

const SECONDS = Number(process.env.BENCH_RENDER_SECONDS ?? 60);
const run = promisify(execFile);

const tools = await findFfmpeg();
if (tools === undefined) {
  console.error('bench:render needs ffmpeg and ffprobe on PATH (Debian: apt-get install ffmpeg)');
  process.exit(1);
}
const work = await mkdtemp(join(tmpdir(), 'render-bench-'));
try {
  const recording = join(work, 'presentation');
  console.log(`making a ${SECONDS} s synthetic recording (webcams 640x480, deskshare 1280x720)…`);
  await makeSyntheticRecording(recording, { seconds: SECONDS, webcams: { width: 640, height: 480 }, deskshare: { width: 1280, height: 720 } });
  console.log(`${tools.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const decodeStarted = performance.now();
  await run(tools.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', join(recording, 'video/webcams.webm'), '-i', join(recording, 'deskshare/deskshare.webm'), '-map', '0', '-map', '1', '-f', 'null', '-']);
  const decodeSeconds = (performance.now() - decodeStarted) / 1000;
  console.log(`baseline  decode only             ${(SECONDS / decodeSeconds).toFixed(1).padStart(6)} × realtime  (${decodeSeconds.toFixed(2)} s)`);

  for (const profile of RENDER_PROFILE_NAMES) {
    const started = performance.now();
    const result = await renderRecording({ inputDir: recording, profile, outFile: join(work, `${profile}.mp4`), timeoutMs: 3_600_000, tools });
    const seconds = (performance.now() - started) / 1000;
    const mbPerHour = (result.bytes / 1e6) * (3600 / result.durationSeconds);
    console.log(
      `${profile.padEnd(9)} ${`${(result.bytes / 1e6).toFixed(1)} MB (${mbPerHour.toFixed(0)} MB/h)`.padEnd(22)} ${(SECONDS / seconds).toFixed(1).padStart(6)} × realtime  (${seconds.toFixed(2)} s, ${(seconds / decodeSeconds).toFixed(1)} × the decode)`,
    );
  }
  console.log(`load average after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
