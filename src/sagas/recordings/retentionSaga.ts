import { v5 as uuidv5 } from 'uuid';
import { IllegalStateError, NotFoundError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { ExpireRecording } from '../../domain/recording/commands.js';
import { RECORDING_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import type { RunningSaga } from '../runSaga.js';
import { runLookingSaga } from './lookingSaga.js';
import { evolveRetention, initialRetentionView, reactToRetention, type RetentionEffect } from './retentionProcess.js';
import { RETENTION_NAMESPACE } from '../../domain/ids.js';

export const RETENTION_SAGA = 'recordingRetention';

/** The ids an expiry is sent with; `now` is the caller's. */
export interface ExpiryContext {
  actor: string;
  correlationId: string;
  causationId: string;
  commandId: string;
  now: Date;
}

export interface RetentionOptions {
  store: EventStore;
  logger: Logger;
  /** Sends ExpireRecording to the recording's stream (the command handler); answers the events appended. */
  expire(command: ExpireRecording, context: ExpiryContext): Promise<readonly DomainEvent[]>;
  /** How often recordings are looked at besides right after the log moves; retention is in days. */
  tickMs: number;
  /** Expiries at once (each an append). */
  concurrency: number;
  now(): Date;
  /** The fence of the lease: nothing is written once another instance may hold it. */
  stillHolds(): boolean;
}

/** A burst of events (the replay at start, a policy change, imports) is looked at once, this long after it. */
const LOOK_AFTER_EVENTS_MS = 1000;

/**
 * The retention process: follows tenants' recording policies and the recordings, and expires each recording
 * whose tenant's retention has run out as `RecordingExpired`; the object deletion process (objectDeletionSaga.ts)
 * then deletes its stored objects.
 */
export function runRetention(options: RetentionOptions): RunningSaga {
  const log = options.logger.child({ saga: RETENTION_SAGA });
  const perform = async (effect: RetentionEffect): Promise<void> => {
    if (!options.stillHolds()) return;
    const id = uuidv5(effect.id, RETENTION_NAMESPACE);
    const context = { actor: `saga:${RETENTION_SAGA}`, correlationId: id, causationId: id, commandId: id, now: options.now() };
    try {
      const events = await options.expire({ type: 'ExpireRecording', data: { recordId: effect.recordId, retentionDays: effect.retentionDays } }, context);
      if (events.length > 0) log.info({ recordId: effect.recordId, tenant: effect.tenant, retentionDays: effect.retentionDays }, 'recording expired');
    } catch (error) {
      // The retention changed or the recording went meanwhile: the next look decides again.
      if (error instanceof IllegalStateError || error instanceof NotFoundError) return log.debug({ err: error, recordId: effect.recordId }, 'expiry no longer due');
      throw error;
    }
  };
  return runLookingSaga({
    name: RETENTION_SAGA,
    store: options.store,
    streamPrefixes: [TENANT_STREAM_PREFIX, RECORDING_STREAM_PREFIX],
    logger: options.logger,
    initialView: initialRetentionView,
    evolve: evolveRetention,
    react: reactToRetention,
    keyOf: (effect) => effect.recordId,
    perform,
    tickMs: options.tickMs,
    lookAfterEventsMs: LOOK_AFTER_EVENTS_MS,
    concurrency: options.concurrency,
    now: options.now,
  });
}
