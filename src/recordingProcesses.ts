import { handleRecordingCommand } from './commands/decider/recordingCommands.js';
import type { Config } from './config.js';
import type { EventStore } from './eventstore/port.js';
import type { Logger } from './logging.js';
import { findFfmpeg, logRenderAvailability } from './render/findFfmpeg.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryPolicy.js';
import { IMPORT_SAGA, runImportSaga } from './sagas/recordings/importSaga.js';
import { OBJECT_DELETION_SAGA, runObjectDeletion } from './sagas/recordings/objectDeletionSaga.js';
import { runQuarantinePurge } from './sagas/recordings/quarantinePurge.js';
import { RENDER_SAGA, runRenderSaga } from './sagas/recordings/renderSaga.js';
import { RETENTION_SAGA, runRetention } from './sagas/recordings/retentionSaga.js';
import { runSpoolWatcher } from './sagas/recordings/spoolWatcher.js';
import { sagaCommands } from './processPorts.js';
import type { RunningSaga } from './sagas/runSaga.js';
import type { ObjectStorage } from './storage/objectStorage.js';

/** Most entries one uploaded archive may hold (a bomb of empty files stops here). */
const MAX_ARCHIVE_ENTRIES = 100_000;
/** A failed import step (storage away) is retried after these delays, then the upload is quarantined. */
const IMPORT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000];
const QUARANTINE_PURGE_INTERVAL_MS = 3_600_000;
/** Retention is in days: an hourly look (and one after each burst of events) is soon enough. */
const RETENTION_INTERVAL_MS = 3_600_000;
const RETENTION_CONCURRENCY = 4;
/** A deleted recording's objects: tried at once, then with backoff up to ten minutes apart, for as long as it takes. */
const OBJECT_DELETION_RETRY: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 5_000, maxDelayMs: 600_000, jitter: 0.5 };
const OBJECT_DELETION_TICK_MS = 5_000;
const OBJECT_DELETION_CONCURRENCY = 4;

export interface RecordingProcessesDeps {
  config: Config;
  store: EventStore;
  logger: Logger;
  storage: ObjectStorage;
  /** Runs a process in one instance at a time (compose's lease wrapper). */
  leased(name: string, start: (stillHolds: () => boolean) => RunningSaga): RunningSaga;
}

export interface RecordingProcesses {
  /** ffmpeg was found and RENDER_PROFILES names profiles: the render process runs (under its lease). */
  rendering: boolean;
  stop(): Promise<void>;
}

/** The recording processes, part of the composition root: import, Scalelite spool, render, quarantine purge, retention, object deletion. */
export async function startRecordingProcesses({ config, store, logger, storage, leased }: RecordingProcessesDeps): Promise<RecordingProcesses> {
  let spoolWatcher: RunningSaga | undefined;
  let renderSaga: RunningSaga | undefined;
  const importSaga = leased(IMPORT_SAGA, (stillHolds) =>
    runImportSaga({
      commands: sagaCommands(store, storage),
      store,
      logger,
      deps: {
        storage,
        workRoot: config.recordings.workDir,
        limits: { maxExtractedBytes: config.recordings.extractMaxBytes, maxEntries: MAX_ARCHIVE_ENTRIES },
      },
      concurrency: config.recordings.importConcurrency,
      retryDelaysMs: IMPORT_RETRY_DELAYS_MS,
      now: () => new Date(),
      stillHolds,
    }),
  );
  const { spoolDir } = config.recordings;
  if (spoolDir) {
    spoolWatcher = leased('recordingSpool', (stillHolds) =>
      runSpoolWatcher({ store, commands: sagaCommands(store, storage), storage, logger, dir: spoolDir, intervalMs: config.recordings.spoolIntervalMs, maxBytes: config.recordings.uploadMaxBytes, now: () => new Date(), stillHolds }),
    );
  }
  // Rendering needs ffmpeg and ffprobe; without them recordings are imported and played back without MP4s.
  const tools = config.renderProfiles.length > 0 ? await findFfmpeg() : undefined;
  logRenderAvailability(logger, tools, config.renderProfiles);
  if (tools) {
    renderSaga = leased(RENDER_SAGA, (stillHolds) =>
      runRenderSaga({
        commands: sagaCommands(store, storage),
        store,
        logger,
        storage,
        tools,
        profiles: config.renderProfiles,
        workRoot: config.recordings.workDir,
        concurrency: config.renderConcurrency,
        timeoutMs: config.renderTimeoutMs,
        retry: DEFAULT_RETRY_POLICY,
        now: () => new Date(),
        stillHolds,
      }),
    );
  }
  const quarantinePurge = leased('recordingQuarantinePurge', () =>
    runQuarantinePurge({ storage, days: config.recordings.quarantineDays, intervalMs: QUARANTINE_PURGE_INTERVAL_MS, logger, now: () => new Date() }),
  );
  const retention = leased(RETENTION_SAGA, (stillHolds) =>
    runRetention({
      store,
      logger,
      expire: async (command, context) => (await handleRecordingCommand(store, command, context)).events,
      tickMs: RETENTION_INTERVAL_MS,
      concurrency: RETENTION_CONCURRENCY,
      now: () => new Date(),
      stillHolds,
    }),
  );
  const objectDeletion = leased(OBJECT_DELETION_SAGA, (stillHolds) =>
    runObjectDeletion({
      store,
      commands: sagaCommands(store, storage),
      storage,
      logger,
      tickMs: OBJECT_DELETION_TICK_MS,
      retry: OBJECT_DELETION_RETRY,
      concurrency: OBJECT_DELETION_CONCURRENCY,
      now: () => new Date(),
      stillHolds,
    }),
  );
  return {
    rendering: renderSaga !== undefined,
    async stop() {
      await Promise.all([spoolWatcher?.stop(), quarantinePurge.stop(), renderSaga?.stop(), retention.stop()]);
      await objectDeletion.stop();
      await importSaga.stop();
    },
  };
}
