import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { handleRecordingCommand } from '../../../src/commands/decider/recordingCommands.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore } from '../../../src/eventstore/port.js';
import { silentLogger } from '../../../src/logging.js';
import { sagaCommands } from '../../../src/processPorts.js';
import { runObjectDeletion } from '../../../src/sagas/recordings/objectDeletionSaga.js';
import { LocalObjectStorage } from '../../../src/storage/localStorage.js';
import { StorageUnavailableError, type ObjectStorage } from '../../../src/storage/objectStorage.js';
import { commandContext } from '../../support/commandContext.js';
import { eventually } from '../../support/eventually.js';
import { importFormat, owner, recordId } from '../../domain/recording/recordingFixtures.js';

const prefix = `acme/${recordId}/`;
const FAST_RETRY = { maxAttempts: Infinity, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };

/** The storage, except that its first `failures` deletes fail as an S3 outage would. */
function flaky(storage: ObjectStorage, failures: number) {
  const calls = { count: 0 };
  const wrapped: Pick<ObjectStorage, 'deletePrefix'> = {
    deletePrefix: async (p) => {
      calls.count++;
      if (calls.count <= failures) throw new StorageUnavailableError(`storage away (try ${calls.count})`);
      return storage.deletePrefix(p);
    },
  };
  return { wrapped, calls };
}

/** The object deletion process as an instance runs it, over `store`: stopping it and running another is a restart. */
const start = (store: EventStore, storage: Pick<ObjectStorage, 'deletePrefix'>) =>
  runObjectDeletion({ store, commands: sagaCommands(store), storage, logger: silentLogger, tickMs: 10, retry: FAST_RETRY, concurrency: 2, now: () => new Date(), stillHolds: () => true });

const keysUnder = async (storage: ObjectStorage) => {
  const keys: string[] = [];
  for await (const { key } of storage.list(prefix)) keys.push(key);
  return keys.sort();
};

const confirmations = async (store: EventStore) => {
  const found: unknown[] = [];
  for await (const event of store.readStream(`recording-${recordId}`)) if (event.type === 'RecordingObjectsDeleted') found.push(event.data);
  return found;
};

t.test('a deleted recording whose storage fails the first deletes / retried with backoff, after a restart too, until its objects are gone and said so', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'object-deletion-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new MemoryEventStore();
  const storage = new LocalObjectStorage(dir);
  await handleRecordingCommand(store, importFormat(), commandContext());
  for (const path of ['presentation/metadata.xml', 'presentation/video/webcams.webm']) await storage.put(`${prefix}${path}`, Readable.from([Buffer.from('x')]));
  await handleRecordingCommand(store, { type: 'DeleteRecording', data: { recordId, viewer: { tenant: 'acme', scope: null }, reason: 'api' } }, commandContext());

  const away = flaky(storage, Infinity);
  const first = start(store, away.wrapped);
  await eventually('tried again after a failure', () => away.calls.count >= 3);
  await first.stop();
  t.same(await keysUnder(storage), [`${prefix}presentation/metadata.xml`, `${prefix}presentation/video/webcams.webm`], 'nothing deleted while storage is away');
  t.same(await confirmations(store), [], 'nothing confirmed');

  // The restart: a new instance of the process over the same log finds the deletion still owed.
  const back = flaky(storage, 1);
  const second = start(store, back.wrapped);
  t.teardown(() => second.stop());
  await eventually('the objects confirmed deleted', async () => (await confirmations(store)).length === 1);
  t.same(await keysUnder(storage), [], 'every object gone');
  t.same(await confirmations(store), [{ ...owner, objects: 2, generation: 1 }]);
  t.equal(back.calls.count, 2, 'one failure, then the delete');

  // A render that finishes now: its MP4 is stored, but the recording is gone: discarded and deleted.
  const mp4 = `${prefix}render-video/${recordId}.mp4`;
  await storage.put(mp4, Readable.from([Buffer.from('mp4')]));
  const rendered = await handleRecordingCommand(store, { type: 'RecordRendered', data: { recordId, profile: 'video', file: { path: `${recordId}.mp4`, bytes: 3, sha256: 'a' }, durationSeconds: 1 } }, commandContext());
  t.same(rendered.events.map((e) => e.type), ['RecordingRenderDiscarded']);
  await eventually('the late MP4 deleted too', async () => (await confirmations(store)).length === 2);
  t.same(await keysUnder(storage), []);
  t.same((await confirmations(store))[1], { ...owner, objects: 1, generation: 2 });
});
