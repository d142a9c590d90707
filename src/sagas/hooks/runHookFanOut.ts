import { concatMap, defer, from, mergeMap, Observable, Subject, takeUntil } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { SagaCommands } from '../process/sagaCommands.js';
import { DELIVERY_STREAM_PREFIX, MEETING_STREAM_PREFIX, RECORDING_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../../domain/streams.js';
import type { RequestHookDelivery } from '../../domain/delivery/decide.js';
import { decodeEvent } from '../../domain/eventCatalogue.js';
import { IllegalStateError } from '../../domain/errors.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import { restartAfterBackoff, stoppable, type RunningSaga } from '../runSaga.js';
import { evolveHookFanOut, initialHookFanOutState, reactToHookFanOut, type HookFanOutInput, type HookFanOutOptions } from './hookFanOut.js';
import { HOOK_FAN_OUT_NAMESPACE } from '../../domain/ids.js';

export const HOOK_FAN_OUT_SAGA = 'hook-fan-out';

export interface HookFanOutRunOptions extends HookFanOutOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'delivery'>;
  logger: Logger;
  /** The fence of the lease. */
  stillHolds(): boolean;
  now(): Date;
}

/**
 * Runs the hook fan-out: follows tenant, meeting and delivery streams and asks the delivery aggregate for each
 * hook message (HookDeliveryRequested); the delivery process (runDeliveries) sends, retries and dead-letters.
 */
export function runHookFanOut(options: HookFanOutRunOptions): RunningSaga {
  const log = options.logger.child({ saga: HOOK_FAN_OUT_SAGA });
  const shutdown$ = new Subject<void>();
  const inFlight = new Set<Promise<void>>();

  const request = async (data: RequestHookDelivery['data']): Promise<void> => {
    if (!options.stillHolds()) return;
    const id = uuidv5(data.deliveryId, HOOK_FAN_OUT_NAMESPACE);
    try {
      await options.commands.delivery({ type: 'RequestHookDelivery', data }, { actor: `saga:${HOOK_FAN_OUT_SAGA}`, correlationId: id, causationId: id, commandId: id, now: options.now() });
    } catch (error) {
      // Already asked for (another instance, or a restart racing the log): nothing to do.
      if (!(error instanceof IllegalStateError)) throw error;
    }
  };

  const inputs = (): Observable<HookFanOutInput> =>
    new Observable<HookFanOutInput>((subscriber) => {
      const controller = new AbortController();
      void (async () => {
        const filter = { streamPrefixes: [TENANT_STREAM_PREFIX, MEETING_STREAM_PREFIX, DELIVERY_STREAM_PREFIX, RECORDING_STREAM_PREFIX] };
        for await (const message of options.store.subscribe({ from: 'start', filter, signal: controller.signal })) {
          if (controller.signal.aborted) return;
          if (message.kind === 'event') subscriber.next({ kind: 'event', event: decodeEvent(message.event), eventId: message.event.id, at: String(message.event.metadata.at) });
          else if (message.kind === 'caughtUp') subscriber.next({ kind: 'caughtUp' });
        }
        subscriber.complete();
      })().catch((error: unknown) => subscriber.error(error));
      return () => controller.abort();
    });

  const process = () => {
    let state = initialHookFanOutState();
    return inputs().pipe(
      concatMap((input) => {
        state = evolveHookFanOut(state, input, options);
        return from(reactToHookFanOut(state, input));
      }),
    );
  };

  const subscription = defer(process)
    .pipe(
      restartAfterBackoff(log, HOOK_FAN_OUT_SAGA),
      mergeMap((data) => {
        const run = request(data).catch((error: unknown) => log.warn({ err: error, deliveryId: data.deliveryId }, 'hook message not requested; asked again at the next start'));
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
        return from(run);
      }, 4),
      takeUntil(shutdown$),
    )
    .subscribe({ error: (error: unknown) => log.error({ err: error }, `${HOOK_FAN_OUT_SAGA} stopped`) });
  log.info(`${HOOK_FAN_OUT_SAGA} started`);
  return stoppable(HOOK_FAN_OUT_SAGA, log, shutdown$, subscription, inFlight);
}
