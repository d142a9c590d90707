import t from 'tap';
import { toNewEvent } from '../../src/commands/decider/handleCommand.js';
import { recordingRenderCommand } from '../../src/cli/recordingRenderCommand.js';
import { recordingStreamId } from '../../src/domain/streams.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { imported, owner, recordId } from '../domain/recording/recordingFixtures.js';
import { commandContext } from '../support/commandContext.js';

async function run(store: MemoryEventStore, args: string[], renderProfiles = ['video']) {
  let out = '';
  let err = '';
  let n = 0;
  const options = { renderProfiles, now: () => new Date('2026-12-05T10:00:00Z'), newId: () => `00000000-0000-4000-8000-00000000000${n++}`, actor: 'cli:ops' };
  const code = await recordingRenderCommand(args, store, (s) => (out += s), (s) => (err += s), options);
  return { code, out, err };
}

async function storeWithRecording(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  await store.append(recordingStreamId(recordId), [toNewEvent(imported(), 0, commandContext({ actor: 't', commandId: 'cmd-0' }))], { expectedRevision: 'any' });
  return store;
}

async function streamOf(store: MemoryEventStore) {
  const events = [];
  for await (const e of store.readStream(recordingStreamId(recordId))) events.push({ type: e.type, data: e.data, actor: e.metadata.actor });
  return events;
}

t.test('recordings render <recordID> / asks for RENDER_PROFILES as the operator, once while underway', async (t) => {
  const store = await storeWithRecording();
  const first = await run(store, [recordId]);
  t.same(first, { code: 0, out: 'video\trequested\n', err: '' });
  t.same((await streamOf(store)).slice(1), [{ type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'operator' }, actor: 'cli:ops' }]);
  t.same((await run(store, [recordId, '--profile', 'video', '--profile', 'composite'])).out, 'video\talready underway\ncomposite\trequested\n');
});

t.test('recordings render / bad input: usage, unknown profile, rendering off, unknown recording', async (t) => {
  const store = await storeWithRecording();
  t.match(await run(store, []), { code: 2, err: /usage: recordings render/ });
  t.match(await run(store, [recordId, '--profile', 'square']), { code: 2, err: /unknown render profile\(s\) square; known are video, composite/ });
  t.match(await run(store, [recordId], []), { code: 2, err: /RENDER_PROFILES is none/ });
  t.match(await run(store, ['nope']), { code: 1, err: /no such recording/ });
  t.equal((await streamOf(store)).length, 1, 'nothing appended');
});
