import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SyntheticRecordingOptions {
  seconds: number;
  /** Webcam mosaic size; BBB's default is 640x480, tests use a tiny one. */
  webcams: { width: number; height: number };
  /** Deskshare size, or none (nobody shared the screen). */
  deskshare?: { width: number; height: number };
}

/**
 * A published `presentation` recording shaped like BBB's (bbb-recordings.md §3.2, §4.4): VP8 + Opus
 * `video/webcams.webm` at 15 fps, VP8 `deskshare/deskshare.webm` at 5 fps with no audio, a `deskshare.xml`
 * with one window in the middle, and a metadata.xml. Made by ffmpeg itself from lavfi test sources.
 */
export async function makeSyntheticRecording(dir: string, options: SyntheticRecordingOptions): Promise<void> {
  const { seconds, webcams, deskshare } = options;
  await mkdir(join(dir, 'video'), { recursive: true });
  const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'];
  await run('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${webcams.width}x${webcams.height}:rate=15:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    ...vp8, '-c:a', 'libopus', '-b:a', '32k', '-ac', '1',
    join(dir, 'video/webcams.webm'),
  ]);
  if (deskshare) {
    await mkdir(join(dir, 'deskshare'), { recursive: true });
    await run('ffmpeg', [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=${deskshare.width}x${deskshare.height}:rate=5:duration=${seconds}`,
      ...vp8, '-an',
      join(dir, 'deskshare/deskshare.webm'),
    ]);
    const start = (seconds / 3).toFixed(1);
    const stop = ((2 * seconds) / 3).toFixed(1);
    await writeFile(
      join(dir, 'deskshare.xml'),
      `<?xml version="1.0"?>\n<recording id="deskshare_events">\n  <event start_timestamp="${start}" stop_timestamp="${stop}" video_width="${deskshare.width}" video_height="${deskshare.height}"/>\n</recording>\n`,
    );
  }
  await writeFile(
    join(dir, 'metadata.xml'),
    `<?xml version="1.0"?>\n<recording><id>synthetic-1700000000000</id><state>published</state><published>true</published>` +
      `<playback><format>presentation</format><duration>${seconds * 1000}</duration></playback></recording>\n`,
  );
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

/** ffprobe's view of a media file: its streams and its duration in seconds. */
export async function probe(file: string): Promise<{ streams: ProbedStream[]; durationSeconds: number; formatName: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  const parsed = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration: string; format_name: string } };
  return { streams: parsed.streams, durationSeconds: Number(parsed.format.duration), formatName: parsed.format.format_name };
}
