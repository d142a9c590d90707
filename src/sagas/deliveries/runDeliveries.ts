import { concatMap, defer, filter, from, interval, map, merge, mergeMap, Subject, takeUntil, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { SagaCommands } from '../process/sagaCommands.js';
import { DELIVERY_STREAM_PREFIX, IMPORT_STREAM_PREFIX, MEETING_STREAM_PREFIX, RECORDING_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import { IllegalStateError } from '../../domain/errors.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { deliver, retryDelivery, type DeliveryOutcome, type DeliveryRequest } from '../../outbound/delivery.js';
import { recordingReadyForm, signRecordingReady } from '../../outbound/recordingReady.js';
import type { RetryPolicy } from '../../retryPolicy.js';
import { datedDomainEvents } from '../process/subscription.js';
import { restartAfterBackoff, stoppable, type RunningSaga } from '../runSaga.js';
import type { RequestReadyEffect } from './recordingReadyRequests.js';
import type { DeliveryQueues } from './deliveryQueues.js';
import { evolveDeliveries, initialDeliveryProcessState, reactToDeliveries, type DeliverEffect, type DeliveryEffect, type DeliveryInput, type DeliveryLimits } from './deliveryProcess.js';
import { DELIVERY_NAMESPACE } from '../../domain/ids.js';

export const DELIVERIES_SAGA = 'deliveries';

/** How far along a delivery an effect is: its request comes before the first attempt, a shed after every one. */
const stepOf = (effect: DeliveryEffect): number => (effect.kind === 'shed' ? Number.MAX_SAFE_INTEGER : effect.kind === 'requestReady' ? 0.5 : effect.attempt);

export interface DeliveriesOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'delivery'>;
  logger: Logger;
  /** The fence of the lease: no call and no event once it may have passed to another instance. */
  stillHolds(): boolean;
  /** `CALLBACKS_ALLOW_PRIVATE`. */
  allowPrivate: boolean;
  policy: RetryPolicy;
  /** How often due attempts are looked for. */
  tickMs: number;
  /** Longest one attempt (redirects included) may take. */
  deadlineMs: number;
  /** Attempts in flight at once. */
  concurrency: number;
  limits: DeliveryLimits;
  now(): Date;
  random(): number;
  /** The outgoing call; default deliver() (tests may count calls, never replace the checks). */
  send?: (request: DeliveryRequest) => Promise<DeliveryOutcome>;
  /** Kept up to date with what waits, for /metrics. */
  queues?: DeliveryQueues;
}

/**
 * Defaults: due attempts looked for twice a second; bbb-web's own callback client gives up after about 10 s;
 * 16 calls at once keep a slow receiver from holding up the rest.
 */
export const DELIVERY_DEFAULTS = { tickMs: 500, deadlineMs: 10_000, concurrency: 16 } as const;

/**
 * Runs the delivery process: follows the delivery streams, makes every due attempt through deliver() (the
 * URL checked and pinned at each attempt), and records each as an event with the retry decision. An attempt
 * whose result could not be stored is asked for again at the next tick (at least once, never lost).
 */
export function runDeliveries(options: DeliveriesOptions): RunningSaga {
  const log = options.logger.child({ saga: DELIVERIES_SAGA });
  const send = options.send ?? deliver;
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<void>>();
  // The attempt last started per delivery: a tick that comes again before its event asks for it again.
  const started = new Map<string, number>();
  // Recording-ready callbacks waiting for a secret to sign with, already warned about.
  const unsigned = new Set<string>();

  const shed = async (effect: Extract<DeliveryEffect, { kind: 'shed' }>): Promise<void> => {
    if (!options.stillHolds()) return void started.delete(effect.deliveryId);
    const id = uuidv5(effect.id, DELIVERY_NAMESPACE);
    const now = options.now();
    await options.commands.delivery({ type: 'DeadLetterDelivery', data: { deliveryId: effect.deliveryId, detail: effect.detail } }, { actor: `saga:${DELIVERIES_SAGA}`, correlationId: id, causationId: id, commandId: id, now });
    log.warn({ deliveryId: effect.deliveryId, tenant: effect.tenant }, effect.detail);
  };

  const requestReady = async (effect: RequestReadyEffect): Promise<void> => {
    if (!options.stillHolds()) return void started.delete(effect.deliveryId);
    const { recordId, tenant, scope, meetingID, url } = effect.recording;
    if (effect.secret === undefined) {
      // Stays due, looked at again every tick: a secret added to the scope lets it go out. Said once.
      started.delete(effect.deliveryId);
      if (unsigned.has(effect.deliveryId)) return;
      unsigned.add(effect.deliveryId);
      return log.warn({ deliveryId: effect.deliveryId, tenant, scope }, `recording ${recordId} is ready but scope ${scope} has no active secret to sign its callback with; add one with POST /admin/api/v1/tenants/${tenant}/secrets`);
    }
    const form = recordingReadyForm(await signRecordingReady({ meetingId: meetingID, recordId }, effect.secret));
    const data = { deliveryId: effect.deliveryId, tenant, scope, meetingID, kind: 'recordingReady' as const, recordId, url, method: 'POST' as const, body: form.body, contentType: form.headers['content-type']! };
    const id = uuidv5(effect.id, DELIVERY_NAMESPACE);
    try {
      await options.commands.delivery({ type: 'RequestCallbackDelivery', data }, { actor: `saga:${DELIVERIES_SAGA}`, correlationId: id, causationId: id, commandId: id, now: options.now() });
    } catch (error) {
      // Asked for before (a tick during the catch-up, before its request event was read): nothing to do.
      if (!(error instanceof IllegalStateError)) throw error;
    }
  };

  const perform = async (effect: DeliverEffect): Promise<void> => {
    if (!options.stillHolds()) return void started.delete(effect.deliveryId);
    const body = effect.body ? { body: effect.body.text, headers: { 'content-type': effect.body.contentType } } : {};
    const outcome = await send({ url: effect.url, method: effect.method, ...body, deadlineMs: options.deadlineMs, allowPrivate: options.allowPrivate });
    const decision = retryDelivery(outcome, effect.attempt, options.policy, options.random);
    const now = options.now();
    const nextAttemptAt = decision.retry ? new Date(now.getTime() + decision.delayMs).toISOString() : null;
    const status = 'status' in outcome && outcome.status !== undefined ? outcome.status : null;
    const detail = 'message' in outcome ? outcome.message : `${outcome.status} from ${outcome.url}`;
    const id = uuidv5(effect.id, DELIVERY_NAMESPACE);
    if (!options.stillHolds()) return void started.delete(effect.deliveryId);
    const data = { deliveryId: effect.deliveryId, attempt: effect.attempt, outcome: outcome.outcome, status, detail, nextAttemptAt };
    const recorded = await options.commands.delivery({ type: 'RecordDeliveryAttempt', data }, { actor: `saga:${DELIVERIES_SAGA}`, correlationId: id, causationId: id, commandId: id, now });
    log.info({ deliveryId: effect.deliveryId, attempt: effect.attempt, outcome: outcome.outcome, status, nextAttemptAt, events: recorded.events.map((e) => e.type) }, `delivery ${effect.deliveryId}: attempt ${effect.attempt} ${outcome.outcome}`);
  };

  const tracked = (effect: DeliveryEffect): Promise<void> => {
    const run = (effect.kind === 'shed' ? shed(effect) : effect.kind === 'requestReady' ? requestReady(effect) : perform(effect)).catch((error: unknown) => {
      started.delete(effect.deliveryId);
      log.warn({ err: error, deliveryId: effect.deliveryId, effect: effect.id }, 'delivery step not recorded; asked again at the next tick');
    });
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const process = (): Observable<DeliveryEffect> => {
    let state = initialDeliveryProcessState();
    started.clear();
    options.queues?.clear();
    // Meetings, tenants, recordings and imports too: the recording-ready callbacks are asked for here.
    const events$ = datedDomainEvents(options.store, [DELIVERY_STREAM_PREFIX, MEETING_STREAM_PREFIX, TENANT_STREAM_PREFIX, RECORDING_STREAM_PREFIX, IMPORT_STREAM_PREFIX]).pipe(
      map(({ event, at }): DeliveryInput => ({ kind: 'event', event, at })),
    );
    const ticks$ = interval(options.tickMs).pipe(map((): DeliveryInput => ({ kind: 'tick', now: options.now().getTime() })));
    return merge(events$, ticks$).pipe(
      concatMap((input) => {
        if (input.kind === 'event') {
          state = evolveDeliveries(state, input.event);
          const data = input.event.data;
          // A finished delivery is forgotten here too, so the map stays as small as the queue.
          if ('deliveryId' in data && !state.pending.has(data.deliveryId)) {
            started.delete(data.deliveryId);
            options.queues?.done(data.deliveryId);
          } else if ('deliveryId' in data) options.queues?.waits(data.deliveryId, input.at ?? options.now().getTime());
        }
        return from(reactToDeliveries(state, input, options.limits));
      }),
      filter((effect) => (started.get(effect.deliveryId) ?? 0) < stepOf(effect)),
      map((effect) => {
        started.set(effect.deliveryId, stepOf(effect));
        return effect;
      }),
    );
  };

  const subscription = defer(process)
    .pipe(
      restartAfterBackoff<DeliveryEffect>(log, DELIVERIES_SAGA),
      mergeMap((effect) => defer(() => tracked(effect)), options.concurrency),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${DELIVERIES_SAGA} stopped`) });
  log.info(`${DELIVERIES_SAGA} started`);

  const running = stoppable(DELIVERIES_SAGA, log, shutdown$, subscription, inFlight);
  // An instance that no longer runs the process reports an empty queue, not its last one.
  return { stop: () => running.stop().finally(() => options.queues?.clear()) };
}
