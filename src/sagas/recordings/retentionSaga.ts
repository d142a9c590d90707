import { auditTime, concatMap, defer, filter, from, interval, map, merge, mergeMap, share, Subject, takeUntil, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import { IllegalStateError, NotFoundError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { ExpireRecording } from '../../domain/recording/commands.js';
import { RECORDING_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import { domainEvents } from '../process/subscription.js';
import { restartAfterBackoff, stoppable, type RunningSaga } from '../runSaga.js';
import { evolveRetention, initialRetentionView, reactToRetention, type RetentionEffect, type RetentionInput } from './retentionProcess.js';
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
  storage: Pick<ObjectStorage, 'deletePrefix'>;
  logger: Logger;
  /** Sends ExpireRecording to the recording's stream (the command handler); answers the events appended. */
  expire(command: ExpireRecording, context: ExpiryContext): Promise<readonly DomainEvent[]>;
  /** How often recordings are looked at besides right after the log moves; retention is in days. */
  tickMs: number;
  /** Expiries at once (each an append and a delete of the recording's objects). */
  concurrency: number;
  now(): Date;
  /** The fence of the lease: nothing is written once another instance may hold it. */
  stillHolds(): boolean;
}

/** A burst of events (the replay at start, a policy change, imports) is looked at once, this long after it. */
const LOOK_AFTER_EVENTS_MS = 1000;

/**
 * The retention process: follows tenants' recording policies and the recordings, and expires each recording
 * whose tenant's retention has run out: `RecordingExpired` first, then its stored objects are deleted (a
 * failed delete is retried at the next look by this instance; the recording is gone for everyone already).
 */
export function runRetention(options: RetentionOptions): RunningSaga {
  const log = options.logger.child({ saga: RETENTION_SAGA });
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<void>>();
  const expiring = new Set<string>();
  // Expired recordings whose objects are not yet deleted (storage away): recordId → tenant.
  const undeleted = new Map<string, string>();

  const removeObjects = async (recordId: string, tenant: string): Promise<void> => {
    try {
      const removed = await options.storage.deletePrefix(STORAGE_KEYS.recordingPrefix(tenant, recordId));
      undeleted.delete(recordId);
      log.info({ recordId, tenant, removedObjects: removed }, 'expired recording removed from storage');
    } catch (error) {
      undeleted.set(recordId, tenant);
      log.warn({ err: error, recordId, tenant }, 'an expired recording’s files could not be deleted; retried at the next look');
    }
  };

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
    // Only now, with RecordingExpired stored (or found stored), do the files go.
    await removeObjects(effect.recordId, effect.tenant);
  };

  const tracked = (effect: RetentionEffect): Promise<void> => {
    expiring.add(effect.recordId);
    const run = perform(effect)
      .catch((error: unknown) => log.warn({ err: error, recordId: effect.recordId }, 'expiry not recorded; tried again at the next look'))
      .finally(() => expiring.delete(effect.recordId));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const retryDeletes = (): void => {
    for (const [recordId, tenant] of undeleted) {
      if (expiring.has(recordId) || !options.stillHolds()) continue;
      expiring.add(recordId);
      const run = removeObjects(recordId, tenant).finally(() => expiring.delete(recordId));
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  };

  const process = (): Observable<RetentionEffect> => {
    const view = initialRetentionView();
    const events$ = domainEvents(options.store, [TENANT_STREAM_PREFIX, RECORDING_STREAM_PREFIX]).pipe(share());
    const look$ = merge(events$.pipe(auditTime(LOOK_AFTER_EVENTS_MS)), interval(options.tickMs)).pipe(map((): RetentionInput => ({ kind: 'tick', now: options.now().getTime() })));
    const inputs$ = merge(events$.pipe(map((event): RetentionInput => ({ kind: 'event', event }))), look$);
    return inputs$.pipe(
      concatMap((input) => {
        if (input.kind === 'event') evolveRetention(view, input.event);
        else retryDeletes();
        return from(reactToRetention(view, input));
      }),
      filter((effect) => !expiring.has(effect.recordId)),
    );
  };

  const subscription = defer(process)
    .pipe(
      restartAfterBackoff<RetentionEffect>(log, RETENTION_SAGA),
      mergeMap((effect) => defer(() => tracked(effect)), options.concurrency),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${RETENTION_SAGA} stopped`) });
  log.info(`${RETENTION_SAGA} started`);
  return stoppable(RETENTION_SAGA, log, shutdown$, subscription, inFlight);
}
