import { setTimeout as sleep } from 'node:timers/promises';
import { map, mergeMap, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { EffectContext as CommandContext } from '../process/ports.js';
import type { SagaCommands } from '../process/sagaCommands.js';
import { IMPORT_STREAM_PREFIX, MEETING_STREAM_PREFIX } from '../../domain/streams.js';
import { IllegalStateError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { STORAGE_KEYS, StorageUnavailableError } from '../../storage/objectStorage.js';
import { runSaga, type RunningSaga } from '../runSaga.js';
import { ArchiveRejected } from './extractArchive.js';
import { evolveImportView, initialImportView, reactToImportEvent, type ImportEffect } from './importProcess.js';
import { prepareImport, type ImportDeps, type Pending } from './importUpload.js';
import { IMPORT_NAMESPACE } from '../../domain/ids.js';

export const IMPORT_SAGA = 'recordingImport';

export interface ImportSagaOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'recording' | 'import'>;
  logger: Logger;
  deps: Omit<ImportDeps, 'meetingOf'>;
  /** Uploads imported at once. */
  concurrency: number;
  /** Waits before retrying an import whose storage did not answer; then it fails as storageUnavailable. */
  retryDelaysMs: readonly number[];
  now(): Date;
  /** False once another instance holds the lease: nothing more is written. */
  stillHolds(): boolean;
}

/** The import process: follows meetings and uploads, imports each upload once, in the lease holder only. */
export function runImportSaga(options: ImportSagaOptions): RunningSaga {
  const view = initialImportView();
  const deps: ImportDeps = { ...options.deps, meetingOf: (id) => view.meetings.get(id) };
  const log = options.logger.child({ saga: IMPORT_SAGA });
  return runSaga<ImportEffect>({
    name: IMPORT_SAGA,
    store: options.store,
    logger: options.logger,
    streamPrefixes: [MEETING_STREAM_PREFIX, IMPORT_STREAM_PREFIX],
    saga: (events$: Observable<DomainEvent>) =>
      events$.pipe(
        map((event) => ({ event, view: evolveImportView(view, event) })),
        mergeMap(({ event, view }) => reactToImportEvent(view, event)),
      ),
    nodeIdOf: (effect) => effect.importId,
    contextOf: (effect) => {
      const id = uuidv5(effect.importId, IMPORT_NAMESPACE);
      return { actor: `saga:${IMPORT_SAGA}`, correlationId: id, causationId: id, commandId: id };
    },
    perform: async (effect, context) => {
      const upload = view.pending.get(effect.importId);
      if (!upload || !options.stillHolds()) return [];
      return importOne(options, deps, upload, context, log);
    },
    describe: (effect) => `import ${effect.importId}`,
    now: options.now,
    concurrency: options.concurrency,
  });
}

async function importOne(options: ImportSagaOptions, deps: ImportDeps, upload: Pending, context: CommandContext, log: Logger): Promise<DomainEvent[]> {
  const { commands: handlers } = options;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const commands = await prepareImport(deps, upload);
      const events: DomainEvent[] = [];
      for (const [i, command] of commands.entries()) {
        try {
          events.push(...(await handlers.recording(command, { ...context, commandId: uuidv5(`${context.commandId}:${i}`, IMPORT_NAMESPACE) })).events);
        } catch (error) {
          // Its files are stored already: the failure names the recording, so the object deletion process removes them.
          if (error instanceof IllegalStateError) throw new ArchiveRejected('recordingDeleted', error.message, [command.data.recordId]);
          throw error;
        }
      }
      const recordIds = [...new Set(commands.map((c) => c.data.recordId))];
      events.push(...(await handlers.import({ type: 'CompleteImport', data: { importId: upload.importId, recordIds } }, context)).events);
      // Only now, with the files stored and the events appended, is the upload no longer needed.
      await deps.storage.delete(upload.stagedKey);
      log.info({ importId: upload.importId, recordIds, bytes: upload.bytes, ms: Date.now() - started }, 'recording import completed');
      return events;
    } catch (error) {
      if (error instanceof ArchiveRejected) return fail(options, deps, upload, error, context, log);
      const delay = options.retryDelaysMs[attempt];
      if (!(error instanceof StorageUnavailableError)) throw error;
      if (delay === undefined) return fail(options, deps, upload, new ArchiveRejected('storageUnavailable', error.message), context, log);
      log.warn({ importId: upload.importId, err: error, retryInMs: delay }, 'recording storage unavailable; retrying the import');
      await sleep(delay);
    }
  }
}

/** The upload is kept: in quarantine for an operator, or where it is when the storage itself is the problem. */
async function fail(options: ImportSagaOptions, deps: ImportDeps, upload: Pending, rejection: ArchiveRejected, context: CommandContext, log: Logger): Promise<DomainEvent[]> {
  const { reason, message: detail, recordIds } = rejection;
  let quarantineKey: string | null = null;
  if (reason !== 'storageUnavailable') {
    quarantineKey = STORAGE_KEYS.quarantined(upload.importId);
    if ((await deps.storage.size(upload.stagedKey)) !== undefined) await deps.storage.move(upload.stagedKey, quarantineKey);
  }
  log.warn({ importId: upload.importId, reason, detail, quarantineKey }, 'recording import failed');
  const data = { importId: upload.importId, reason, detail, recordIds: [...recordIds], quarantineKey };
  return (await options.commands.import({ type: 'FailImport', data }, context)).events;
}
