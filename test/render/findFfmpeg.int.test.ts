import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { findFfmpeg, logRenderAvailability } from '../../src/render/findFfmpeg.js';

function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

t.test('ffmpeg and ffprobe on PATH are found, with the version line', async (t) => {
  const tools = await findFfmpeg();
  t.ok(tools, 'this machine and CI have ffmpeg');
  t.match(tools, { ffmpeg: /\/ffmpeg$/, ffprobe: /\/ffprobe$/, version: /^ffmpeg version / });
});

t.test('without ffmpeg, or with ffmpeg but no ffprobe, rendering is off', async (t) => {
  t.equal(await findFfmpeg(''), undefined);
  const dir = await mkdtemp(join(tmpdir(), 'path-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const real = await findFfmpeg();
  await symlink(real?.ffmpeg ?? '/usr/bin/ffmpeg', join(dir, 'ffmpeg'));
  t.equal(await findFfmpeg(dir), undefined, 'ffprobe missing');
  await symlink(real?.ffprobe ?? '/usr/bin/ffprobe', join(dir, 'ffprobe'));
  t.match(await findFfmpeg(dir), { ffmpeg: join(dir, 'ffmpeg') });
});

t.test('one log line says whether recordings are rendered and, if not, what to install', async (t) => {
  const off = capturingLogger();
  logRenderAvailability(off.logger, undefined, ['video']);
  t.equal(off.lines.length, 1);
  t.match(off.lines[0], { level: 40, msg: /^rendering off: no ffmpeg and ffprobe on PATH.*apt-get install ffmpeg/ });

  const on = capturingLogger();
  logRenderAvailability(on.logger, { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe', version: 'ffmpeg version 5.1' }, ['video', 'composite']);
  t.match(on.lines, [{ level: 30, msg: 'rendering on', profiles: ['video', 'composite'], version: 'ffmpeg version 5.1' }]);

  const none = capturingLogger();
  logRenderAvailability(none.logger, undefined, []);
  t.match(none.lines, [{ level: 30, msg: /RENDER_PROFILES is none/ }]);
});
