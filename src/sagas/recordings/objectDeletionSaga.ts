import { v5 as uuidv5 } from 'uuid';
import { OBJECT_DELETION_NAMESPACE } from '../../domain/ids.js';
import { IMPORT_STREAM_PREFIX, RECORDING_STREAM_PREFIX } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { nextRetry, type RetryPolicy } from '../../retryPolicy.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import type { SagaCommands } from '../process/sagaCommands.js';
import type { RunningSaga } from '../runSaga.js';
import { runLookingSaga } from './lookingSaga.js';
import { deletionFailed, evolveObjectDeletion, initialObjectDeletionView, reactToObjectDeletion, type ObjectDeletionEffect, type ObjectDeletionView } from './objectDeletionProcess.js';

export const OBJECT_DELETION_SAGA = 'recordingObjectDeletion';

export interface ObjectDeletionOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'recording'>;
  storage: Pick<ObjectStorage, 'deletePrefix'>;
  logger: Logger;
  /** How often owed deletions are looked at besides right after the log moves (a failed one's backoff runs out). */
  tickMs: number;
  /** Backoff between the tries of one recording; `maxAttempts` may be Infinity (the objects must go). */
  retry: RetryPolicy;
  /** Recordings deleted at once. */
  concurrency: number;
  now(): Date;
  /** The fence of the lease: nothing is deleted or written once another instance may hold it. */
  stillHolds(): boolean;
  random?: () => number;
}

/** A burst of events (the replay at start, a deleteRecordings of many ids) is looked at once, this long after it. */
const LOOK_AFTER_EVENTS_MS = 100;

/**
 * The object deletion process: every deleted or expired recording (and every render that finished and every
 * upload of it refused after it) owes the deletion of its stored objects, until a RecordingObjectsDeleted says they are gone. The work is
 * derived from the log, so a delete whose storage was away is tried again with backoff, after a restart too.
 */
export function runObjectDeletion(options: ObjectDeletionOptions): RunningSaga {
  const log = options.logger.child({ saga: OBJECT_DELETION_SAGA });
  const perform = async (effect: ObjectDeletionEffect, view: ObjectDeletionView): Promise<void> => {
    const { recordId, tenant } = effect.owner;
    if (!options.stillHolds()) return;
    try {
      // 1. every object under the recording's prefix (node formats, renders, previews), 2. the confirmation.
      const objects = await options.storage.deletePrefix(STORAGE_KEYS.recordingPrefix(tenant, recordId));
      if (!options.stillHolds()) return;
      const id = uuidv5(effect.id, OBJECT_DELETION_NAMESPACE);
      const context = { actor: `saga:${OBJECT_DELETION_SAGA}`, correlationId: uuidv5(recordId, OBJECT_DELETION_NAMESPACE), causationId: id, commandId: id, now: options.now() };
      await options.commands.recording({ type: 'ConfirmObjectsDeleted', data: { recordId, objects, generation: effect.generation } }, context);
      log.info({ recordId, tenant, objects, generation: effect.generation }, 'a deleted recording’s objects are gone');
    } catch (error) {
      const next = nextRetry(options.retry, (view.get(recordId)?.attempts ?? 0) + 1, options.random ?? Math.random);
      const retryInMs = next.retry ? next.delayMs : options.retry.maxDelayMs;
      deletionFailed(view, recordId, options.now().getTime(), retryInMs);
      log.warn({ err: error, recordId, tenant, retryInMs }, 'a deleted recording’s objects could not be deleted yet; tried again');
    }
  };
  return runLookingSaga({
    name: OBJECT_DELETION_SAGA,
    store: options.store,
    streamPrefixes: [RECORDING_STREAM_PREFIX, IMPORT_STREAM_PREFIX],
    logger: options.logger,
    initialView: initialObjectDeletionView,
    evolve: evolveObjectDeletion,
    react: reactToObjectDeletion,
    keyOf: (effect) => effect.owner.recordId,
    perform,
    tickMs: options.tickMs,
    lookAfterEventsMs: LOOK_AFTER_EVENTS_MS,
    concurrency: options.concurrency,
    now: options.now,
  });
}
