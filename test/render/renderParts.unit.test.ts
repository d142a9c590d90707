import t from 'tap';
import { concurrencyLimit } from '../../src/render/concurrencyLimit.js';
import { progressReader } from '../../src/render/ffmpegProgress.js';
import { RenderError } from '../../src/render/renderError.js';
import { renderFailureOutcome } from '../../src/render/renderOutcome.js';
import { parseDeskshareWindows } from '../../src/render/renderInputs.js';
import { parseRenderProfiles, RENDER_PROFILES, RenderProfilesError } from '../../src/render/renderProfiles.js';

t.test('RENDER_PROFILES: absent or blank is video, none is nothing, a list keeps its order', async (t) => {
  t.same(parseRenderProfiles(undefined), ['video']);
  t.same(parseRenderProfiles('  '), ['video']);
  t.same(parseRenderProfiles('none'), []);
  t.same(parseRenderProfiles('composite, video'), ['composite', 'video']);
});

t.test('RENDER_PROFILES: an unknown or repeated name is an error that lists the known ones', async (t) => {
  t.throws(() => parseRenderProfiles('video,podcast'), new RenderProfilesError('"podcast" is not a render profile; use video, composite or none, comma-separated'));
  t.throws(() => parseRenderProfiles('video,video'), /listed twice/);
});

const inputs = { webcams: '/r/video/webcams.webm', deskshare: '/r/deskshare/deskshare.webm', deskshareWindows: [{ start: 10, end: 40.5 }, { start: 70.2, end: 95 }], durationSeconds: 120 };

t.test('composite shows the deskshare only inside its windows and stops at the recording length', async (t) => {
  const args = RENDER_PROFILES.composite.args(inputs);
  const filter = args[args.indexOf('-filter_complex') + 1] ?? '';
  t.match(filter, "enable='between(t,10,40.5)+between(t,70.2,95)'");
  t.equal(args[args.indexOf('-t') + 1], '120.000');
  t.same(args.slice(0, 4), ['-i', inputs.webcams, '-i', inputs.deskshare]);
});

t.test('composite without deskshare renders what video renders; no windows file shows deskshare throughout', async (t) => {
  t.same(RENDER_PROFILES.composite.args({ ...inputs, deskshare: undefined }), RENDER_PROFILES.video.args(inputs));
  const args = RENDER_PROFILES.composite.args({ ...inputs, deskshareWindows: undefined });
  t.notMatch(args.join(' '), /enable=/);
});

t.test('both profiles write a faststart MP4 with H.264 and AAC', async (t) => {
  for (const profile of Object.values(RENDER_PROFILES)) {
    const args = profile.args(inputs).join(' ');
    t.match(args, '-c:v libx264', profile.name);
    t.match(args, '-c:a aac', profile.name);
    t.match(args, '-movflags +faststart -f mp4', profile.name);
  }
});

t.test('deskshare.xml: windows in seconds; damaged files give undefined (show the whole deskshare)', async (t) => {
  const xml = '<recording id="deskshare_events"><event start_timestamp="1.5" stop_timestamp="2.0" video_width="1" video_height="1"/></recording>';
  t.same(parseDeskshareWindows(xml), [{ start: 1.5, end: 2 }]);
  t.same(parseDeskshareWindows('<recording id="deskshare_events"></recording>'), undefined);
  t.same(parseDeskshareWindows('<recording><event start_timestamp="5" stop_timestamp="2"/></recording>'), undefined);
  t.same(parseDeskshareWindows('not xml <<<'), undefined);
});

t.test('progress: one report per ffmpeg block, a share of the total, done at progress=end', async (t) => {
  const read = progressReader(10);
  const lines = ['frame=10', 'out_time_us=2500000', 'speed=4.5x', 'progress=continue', 'out_time_us=N/A', 'speed=N/A', 'progress=continue', 'out_time_us=10000000', 'progress=end'];
  const reports = lines.map(read).filter((r) => r !== undefined);
  t.same(reports, [
    { outSeconds: 2.5, totalSeconds: 10, fraction: 0.25, speed: 4.5, done: false },
    { outSeconds: 2.5, totalSeconds: 10, fraction: 0.25, speed: undefined, done: false },
    { outSeconds: 10, totalSeconds: 10, fraction: 1, speed: undefined, done: true },
  ]);
});

t.test('concurrency limit: never more than the limit run, waiters start in arrival order', async (t) => {
  const limit = concurrencyLimit(2);
  const started: number[] = [];
  let peak = 0;
  const gates = [0, 1, 2, 3].map(() => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve: () => resolve() };
  });
  const runs = gates.map((gate, i) =>
    limit.run(async () => {
      started.push(i);
      peak = Math.max(peak, limit.running);
      await gate.promise;
      return i;
    }),
  );
  await new Promise((r) => setImmediate(r));
  t.same(started, [0, 1]);
  t.equal(limit.waiting, 2);
  gates[1]?.resolve();
  await new Promise((r) => setImmediate(r));
  t.same(started, [0, 1, 2]);
  for (const gate of gates) gate.resolve();
  t.same(await Promise.all(runs), [0, 1, 2, 3]);
  t.equal(peak, 2);
  t.equal(limit.running, 0);
  t.throws(() => concurrencyLimit(0), RangeError);
});

t.test('concurrency limit: a failing task frees its slot', async (t) => {
  const limit = concurrencyLimit(1);
  await t.rejects(limit.run(() => Promise.reject(new Error('boom'))), /boom/);
  t.equal(await limit.run(() => Promise.resolve('next')), 'next');
});

t.test('a failed attempt becomes a RecordingRenderFailed with a retry decision; shutdown and a vanished ffmpeg record nothing', async (t) => {
  const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0 };
  const crash = new RenderError('ffmpegFailed', 'ffmpeg exited with code 1', ['deskshare.webm: Invalid data found when processing input']);
  t.match(renderFailureOutcome(crash, 1, policy, Math.random), { kind: 'failed', reason: 'ffmpegFailed', detail: /Invalid data found/, next: { retry: true, delayMs: 1000 } });
  t.match(renderFailureOutcome(crash, 3, policy, Math.random), { kind: 'failed', next: { retry: false } }, 'the last attempt');
  t.match(renderFailureOutcome(new RenderError('noInput', 'no webcams'), 1, policy, Math.random), { kind: 'failed', reason: 'noInput', next: { retry: false } });
  t.match(renderFailureOutcome(new RenderError('timeout', 'too long'), 2, policy, Math.random), { kind: 'failed', reason: 'timeout', next: { retry: true, delayMs: 2000 } });
  t.same(renderFailureOutcome(new RenderError('aborted', 'cancelled'), 1, policy, Math.random), { kind: 'notAttempted', why: 'aborted' });
  t.same(renderFailureOutcome(new RenderError('ffmpegMissing', 'gone'), 1, policy, Math.random), { kind: 'notAttempted', why: 'ffmpegMissing' });
  t.match(renderFailureOutcome(new Error('ENOSPC: no space left on device'), 1, policy, Math.random), { kind: 'failed', reason: 'ffmpegFailed', detail: /ENOSPC/, next: { retry: true } });
});
