import t from 'tap';
import { toNewEvent } from '../../src/commands/decider/handleCommand.js';
import { importStreamId, recordingStreamId } from '../../src/domain/streams.js';
import { recordingsCommand } from '../../src/cli/recordingsCommand.js';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { imported, recordId } from '../domain/recording/recordingFixtures.js';
import { commandContext } from '../support/commandContext.js';

async function storeWith(events: Array<[string, DomainEvent]>): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  for (const [i, [stream, event]] of events.entries()) {
    await store.append(stream, [toNewEvent(event, 0, commandContext({ actor: 't', now: new Date('2026-12-04T10:00:00Z'), commandId: `cmd-${i}` }))], { expectedRevision: 'any' });
  }
  return store;
}

async function run(store: MemoryEventStore, args: string[]) {
  let out = '';
  let err = '';
  const code = await recordingsCommand(args, store, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

t.test('recordings <tenant> / one line per recording with its formats; another tenant sees none', async (t) => {
  const store = await storeWith([[recordingStreamId(recordId), imported()]]);
  const acme = await run(store, ['acme']);
  t.equal(acme.code, 0);
  t.match(acme.out, new RegExp(`^${recordId}\tpublished\t2023-11-14T22:13:20.000Z\tacme-007\troom 1\tpresentation\n$`));
  t.equal((await run(store, ['globex'])).out, '');
});

t.test('recordings --imports --failed / the reason and where the upload is kept', async (t) => {
  const store = await storeWith([
    [importStreamId('imp-1'), { type: 'RecordingUploaded', data: { importId: 'imp-1', nodeId: 'node-a', source: 'upload', contentType: 'application/x-tar', bytes: 10, sha256: 'a', stagedKey: '.imports/imp-1' } }],
    [importStreamId('imp-1'), { type: 'RecordingImportFailed', data: { importId: 'imp-1', reason: 'unknownMeeting', detail: 'no meeting', recordIds: [recordId], quarantineKey: '.quarantine/imp-1' } }],
  ]);
  const failed = await run(store, ['--imports', '--failed']);
  t.match(failed.out, /^imp-1\tfailed\t.*\tnode-a\t10\t.*\tunknownMeeting: no meeting\tkept at \.quarantine\/imp-1\n$/);
});

t.test('no tenant / usage, exit 2', async (t) => {
  const result = await run(new MemoryEventStore(), []);
  t.equal(result.code, 2);
  t.match(result.err, /usage: recordings/);
});
