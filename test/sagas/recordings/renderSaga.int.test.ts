import { access, chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { handleRecordingCommand } from '../../../src/commands/decider/recordingCommands.js';
import type { RecordingCommand } from '../../../src/domain/recording/commands.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../../src/logging.js';
import { sagaCommands } from '../../../src/processPorts.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/retryPolicy.js';
import { runObjectDeletion } from '../../../src/sagas/recordings/objectDeletionSaga.js';
import { runRenderSaga } from '../../../src/sagas/recordings/renderSaga.js';
import { LocalObjectStorage } from '../../../src/storage/localStorage.js';
import type { ObjectStorage } from '../../../src/storage/objectStorage.js';
import { commandContext } from '../../support/commandContext.js';
import { eventually } from '../../support/eventually.js';
import { importFormat, playback, recordId } from '../../domain/recording/recordingFixtures.js';

const prefix = `acme/${recordId}/`;
const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * An ffprobe that always finds 3 s, and an ffmpeg that says it started and writes its output only once `go`
 * exists: the test decides when a render finishes.
 */
async function fakeTools(dir: string) {
  const started = join(dir, 'started');
  const go = join(dir, 'go');
  const ffprobe = join(dir, 'ffprobe');
  const ffmpeg = join(dir, 'ffmpeg');
  await writeFile(ffprobe, '#!/bin/sh\necho 3.0\n');
  await writeFile(ffmpeg, `#!/bin/sh\nfor last; do :; done\ntouch '${started}'\nwhile [ ! -f '${go}' ]; do sleep 0.05; done\necho mp4 > "$last"\n`);
  await Promise.all([chmod(ffprobe, 0o755), chmod(ffmpeg, 0o755)]);
  return { tools: { ffmpeg, ffprobe }, started, go };
}

/** A recording with a webcams track, the render and object deletion processes running over one memory store. */
async function setUp(t: Test, wrap: (storage: ObjectStorage) => ObjectStorage = (s) => s) {
  const dir = await mkdtemp(join(tmpdir(), 'render-saga-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new MemoryEventStore();
  const local = new LocalObjectStorage(join(dir, 'store'));
  const storage = wrap(local);
  const fake = await fakeTools(dir);
  const command = importFormat();
  const withWebcams: RecordingCommand = { ...command, data: { ...command.data, playback: { ...playback(), files: [{ path: 'video/webcams.webm', bytes: 3, sha256: 'a' }] } } };
  await local.put(`${prefix}presentation/video/webcams.webm`, Readable.from([Buffer.from('web')]));
  const running = { stillHolds: () => true, now: () => new Date(), store, logger: silentLogger, commands: sagaCommands(store), storage };
  const render = runRenderSaga({ ...running, tools: fake.tools, profiles: ['video'], workRoot: join(dir, 'work'), concurrency: 1, timeoutMs: 30_000, retry: DEFAULT_RETRY_POLICY });
  const deletion = runObjectDeletion({ ...running, tickMs: 20, retry: { maxAttempts: Infinity, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 }, concurrency: 1 });
  t.teardown(() => Promise.all([render.stop(), deletion.stop()]));
  await handleRecordingCommand(store, withWebcams, commandContext());
  const types = async () => {
    const found: string[] = [];
    for await (const event of store.readStream(`recording-${recordId}`)) found.push(event.type);
    return found;
  };
  const keys = async () => {
    const found: string[] = [];
    for await (const { key } of local.list(prefix)) found.push(key);
    return found;
  };
  const remove = () => handleRecordingCommand(store, { type: 'DeleteRecording', data: { recordId, viewer: { tenant: 'acme', scope: null }, reason: 'api' } }, commandContext());
  const rendersUnderWay = async () => (await readdir(join(dir, 'work')).catch(() => [])).length;
  return { ...fake, types, keys, remove, rendersUnderWay };
}

t.test('a recording deleted while ffmpeg renders it / ffmpeg is stopped, nothing stored, nothing rendered', async (t) => {
  const s = await setUp(t);
  await eventually('ffmpeg started', () => exists(s.started));
  await s.remove();
  // ffmpeg never got its `go`: the render ended (its work directory removed) because it was killed.
  await eventually('the render stopped', async () => (await s.rendersUnderWay()) === 0);
  await eventually('its objects deleted', async () => (await s.types()).includes('RecordingObjectsDeleted'));
  t.same(await s.keys(), [], 'no MP4, no input left');
  t.same((await s.types()).filter((type) => type.startsWith('RecordingRender') && type !== 'RecordingRenderRequested'), [], 'neither rendered nor discarded: the render was cut short');
});

t.test('a render that finishes after its recording was deleted / discarded, never listed, its MP4 deleted', async (t) => {
  let deleted!: () => void;
  const deletedNow = new Promise<void>((resolve) => (deleted = resolve));
  let reached!: () => void;
  const putReached = new Promise<void>((resolve) => (reached = resolve));
  // The MP4's upload is held until the recording is deleted: the delete lands between ffmpeg's end and the event.
  const s = await setUp(t, (storage) =>
    Object.assign(Object.create(storage) as ObjectStorage, {
      put: async (key: string, body: Readable, options?: { contentType?: string }) => {
        if (key.includes('/render-video/')) {
          reached();
          await deletedNow;
        }
        return storage.put(key, body, options);
      },
    }),
  );
  await writeFile(s.go, '');
  await putReached;
  await s.remove();
  deleted();
  await eventually('the late render discarded and deleted', async () => {
    const types = await s.types();
    return types.includes('RecordingRenderDiscarded') && types.lastIndexOf('RecordingObjectsDeleted') > types.indexOf('RecordingRenderDiscarded');
  });
  t.same(await s.keys(), [], 'no MP4 left');
  t.notOk((await s.types()).includes('RecordingRendered'), 'never rendered, so never listed');
});
