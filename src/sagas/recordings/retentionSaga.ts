import { auditTime, concatMap, defer, filter, from, interval, map, merge, mergeMap, share, Subject, takeUntil, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import { IllegalStateError, NotFoundError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { ExpireRecording } from '../../domain/recording/commands.js';
import { RECORDING_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
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
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<void>>();
  const expiring = new Set<string>();

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

  const tracked = (effect: RetentionEffect): Promise<void> => {
    expiring.add(effect.recordId);
    const run = perform(effect)
      .catch((error: unknown) => log.warn({ err: error, recordId: effect.recordId }, 'expiry not recorded; tried again at the next look'))
      .finally(() => expiring.delete(effect.recordId));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const process = (): Observable<RetentionEffect> => {
    const view = initialRetentionView();
    const events$ = domainEvents(options.store, [TENANT_STREAM_PREFIX, RECORDING_STREAM_PREFIX]).pipe(share());
    const look$ = merge(events$.pipe(auditTime(LOOK_AFTER_EVENTS_MS)), interval(options.tickMs)).pipe(map((): RetentionInput => ({ kind: 'tick', now: options.now().getTime() })));
    const inputs$ = merge(events$.pipe(map((event): RetentionInput => ({ kind: 'event', event }))), look$);
    return inputs$.pipe(
      concatMap((input) => {
        if (input.kind === 'event') evolveRetention(view, input.event);
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
