import { parseArgs } from 'node:util';
import type { EventStore } from '../eventstore/port.js';
import { projectRecordingList, recordingListProjection, type ImportStatus } from '../projections/recordingList.js';
import { InMemoryRecordingList } from '../projections/recordingListMemory.js';
import type { Write } from './historyCommands.js';

/** The recordings read model folded from the log right here: the CLI needs no running server. */
async function foldRecordings(store: EventStore): Promise<InMemoryRecordingList> {
  const model = new InMemoryRecordingList();
  const prefixes = recordingListProjection.filter.streamPrefixes ?? [];
  for await (const event of store.readAll()) {
    if (prefixes.some((p) => event.streamId.startsWith(p))) model.apply(projectRecordingList(event));
  }
  return model;
}

/**
 * `recordings <tenant> [--json]`: the tenant's recordings, newest first, one line each.
 * `recordings --imports [--failed] [--json]`: uploads and their import state (failed ones with the reason).
 */
export async function recordingsCommand(argv: string[], store: EventStore, out: Write, err: Write): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, imports: { type: 'boolean' }, failed: { type: 'boolean' } } });
  if (values.imports ? positionals.length > 0 : positionals.length !== 1) {
    err('usage: recordings <tenant> [--json] | recordings --imports [--failed] [--json]\n');
    return 2;
  }
  const model = await foldRecordings(store);
  if (values.imports) {
    const imports = model.imports(values.failed ? { state: 'failed' } : {});
    for (const i of imports) out(values.json ? `${JSON.stringify(i)}\n` : importLine(i));
    return 0;
  }
  const { recordings } = model.find({ viewer: { tenant: positionals[0]!, scope: null }, recordIds: undefined, meetingIDs: undefined, states: 'any', meta: [], page: undefined });
  for (const r of recordings) {
    out(values.json ? `${JSON.stringify(r)}\n` : `${r.recordId}\t${r.state}\t${new Date(r.startTime).toISOString()}\t${r.scope}\t${r.meetingID}\t${r.formats.map((f) => f.format).concat(r.renders.map((v) => v.profile)).join(',')}\n`);
  }
  return 0;
}

const importLine = (i: ImportStatus): string =>
  `${i.importId}\t${i.state}\t${i.uploadedAt}\t${i.nodeId ?? i.source}\t${i.bytes}\t${i.recordIds.join(',')}${i.reason ? `\t${i.reason}: ${i.detail}` : ''}${i.quarantineKey ? `\tkept at ${i.quarantineKey}` : ''}\n`;
