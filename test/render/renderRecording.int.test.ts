import { execFile } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import type { RenderProgress } from '../../src/render/ffmpegProgress.js';
import { RenderError } from '../../src/render/renderError.js';
import { renderRecording } from '../../src/render/renderRecording.js';
import { makeSyntheticRecording, probe } from '../support/syntheticRecording.js';

const SECONDS = 3;
const work = await mkdtemp(join(tmpdir(), 'render-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const recording = join(work, 'presentation');
await makeSyntheticRecording(recording, { seconds: SECONDS, webcams: { width: 160, height: 120 }, deskshare: { width: 320, height: 180 } });

/** A copy of the good recording with one file replaced, for the failure cases. */
async function variant(name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(work, name);
  await cp(recording, dir, { recursive: true });
  await change(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<RenderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RenderError)) throw new Error(`expected a RenderError, got ${String(error)}`);
  return error;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

t.test('the video profile turns webcams and audio into an H.264/AAC MP4 of the same length, moov first', async (t) => {
  const outFile = join(work, 'video.mp4');
  const progress: RenderProgress[] = [];
  const result = await renderRecording({ inputDir: recording, profile: 'video', outFile, timeoutMs: 60_000, onProgress: (p) => progress.push(p) });

  const probed = await probe(outFile);
  t.match(probed.formatName, /mp4/);
  t.same(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(), ['audio:aac', 'video:h264']);
  t.match(probed.streams.find((s) => s.codec_type === 'video'), { width: 160, height: 120 });
  t.ok(Math.abs(probed.durationSeconds - SECONDS) < 0.3, `duration ${probed.durationSeconds} s is about ${SECONDS} s`);
  t.ok(Math.abs(result.durationSeconds - probed.durationSeconds) < 0.01, 'the result reports the probed duration');
  const bytes = await readFile(outFile);
  t.equal(result.bytes, bytes.length);
  t.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'faststart: the index comes before the media data');
  t.same(progress.at(-1), { ...progress.at(-1), done: true, fraction: 1 }, 'the last progress report is the end');
  t.notOk(await exists(`${outFile}.part`), 'no partial file is left');
});

t.test('the composite profile lays deskshare and webcams out on 1280x720 for the recording length', async (t) => {
  const outFile = join(work, 'composite.mp4');
  const result = await renderRecording({ inputDir: recording, profile: 'composite', outFile, timeoutMs: 60_000 });
  const probed = await probe(outFile);
  t.same(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(), ['audio:aac', 'video:h264']);
  t.match(probed.streams.find((s) => s.codec_type === 'video'), { width: 1280, height: 720 });
  t.ok(Math.abs(result.durationSeconds - SECONDS) < 0.3, `duration ${result.durationSeconds} s is about ${SECONDS} s, not the endless background's`);
});

t.test('a webcams file without audio still renders, video only', async (t) => {
  const dir = await variant('silent', async (d) => {
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', join(recording, 'video/webcams.webm'), '-an', '-c:v', 'copy', join(d, 'video/webcams.webm')]);
  });
  const outFile = join(work, 'silent.mp4');
  await renderRecording({ inputDir: dir, profile: 'video', outFile, timeoutMs: 60_000 });
  t.same((await probe(outFile)).streams.map((s) => `${s.codec_type}:${s.codec_name}`), ['video:h264']);
});

t.test('a recording without webcams fails as noInput, not retryable', async (t) => {
  const dir = join(work, 'empty');
  await mkdir(dir);
  const error = await rejection(renderRecording({ inputDir: dir, profile: 'video', outFile: join(work, 'empty.mp4'), timeoutMs: 10_000 }));
  t.equal(error.reason, 'noInput');
  t.equal(error.retryable, false);
  t.match(error.message, /video\/webcams/);
});

t.test('when ffmpeg fails on damaged input, the error carries its last stderr lines and no output is left', async (t) => {
  const dir = await variant('damaged', (d) => writeFile(join(d, 'deskshare/deskshare.webm'), 'this is not a webm file'));
  const outFile = join(work, 'damaged.mp4');
  const error = await rejection(renderRecording({ inputDir: dir, profile: 'composite', outFile, timeoutMs: 60_000 }));
  t.equal(error.reason, 'ffmpegFailed');
  t.equal(error.retryable, true);
  t.match(error.message, /exited with code/);
  t.ok(error.stderrTail.some((line) => line.includes('deskshare.webm')), 'ffmpeg names the file it could not read');
  t.notOk(await exists(outFile));
  t.notOk(await exists(`${outFile}.part`));
});

t.test('when the webcams file is not media, probing fails with ffprobe\'s reason', async (t) => {
  const dir = await variant('garbage', (d) => writeFile(join(d, 'video/webcams.webm'), Buffer.alloc(4096, 7)));
  const error = await rejection(renderRecording({ inputDir: dir, profile: 'video', outFile: join(work, 'garbage.mp4'), timeoutMs: 60_000 }));
  t.equal(error.reason, 'ffmpegFailed');
  t.ok(error.stderrTail.length > 0, 'ffprobe said something');
});

/** A deskshare that is a FIFO nobody writes: ffmpeg blocks opening it, forever. */
const hanging = await variant('hanging', async (d) => {
  await rm(join(d, 'deskshare/deskshare.webm'));
  await promisify(execFile)('mkfifo', [join(d, 'deskshare/deskshare.webm')]);
});

t.test('when ffmpeg hangs, it is killed at the time limit and the failure says timeout', async (t) => {
  const outFile = join(work, 'hanging.mp4');
  const error = await rejection(renderRecording({ inputDir: hanging, profile: 'composite', outFile, timeoutMs: 1_500 }));
  t.equal(error.reason, 'timeout');
  t.match(error.message, /RENDER_TIMEOUT_MS/);
  t.notOk(await exists(`${outFile}.part`));
  t.notOk(await exists(outFile));
});

t.test('when probing the input hangs (webcams a FIFO), the time limit holds there too', async (t) => {
  const dir = await variant('hanging-probe', async (d) => {
    await rm(join(d, 'video/webcams.webm'));
    await promisify(execFile)('mkfifo', [join(d, 'video/webcams.webm')]);
  });
  const error = await rejection(renderRecording({ inputDir: dir, profile: 'video', outFile: join(work, 'hanging-probe.mp4'), timeoutMs: 1_000 }));
  t.equal(error.reason, 'timeout');
});

t.test('aborting a hanging render kills ffmpeg and says aborted', async (t) => {
  const controller = new AbortController();
  const outFile = join(work, 'aborted.mp4');
  const pending = renderRecording({ inputDir: hanging, profile: 'composite', outFile, timeoutMs: 60_000, signal: controller.signal });
  // Opening the FIFO's write end would unblock ffmpeg, so the test only waits a little and aborts.
  setTimeout(() => controller.abort(), 300);
  const error = await rejection(pending);
  t.equal(error.reason, 'aborted');
  t.equal(error.retryable, false);
  t.notOk(await exists(`${outFile}.part`));
});

t.test('a missing ffmpeg executable fails as ffmpegMissing with what to install', async (t) => {
  const error = await rejection(
    renderRecording({ inputDir: recording, profile: 'video', outFile: join(work, 'none.mp4'), timeoutMs: 10_000, tools: { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' } }),
  );
  t.equal(error.reason, 'ffmpegMissing');
  t.match(error.message, /apt-get install ffmpeg/);
});

t.test('no partial .part file is left behind by any case above', async (t) => {
  const names = (await readdir(work)).filter((n) => n.endsWith('.part'));
  t.same(names, []);
});
