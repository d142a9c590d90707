import {
  BACKWARDS,
  END,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import type { Logger } from '../../logging.js';
import type { SubscribeOptions, SubscriptionMessage } from '../port.js';
import { recordedEvents } from './clientReads.js';
import { decodeEsdbPosition, encodeEsdbPosition, toRecordedEvent } from './esdbMapping.js';
import { planSubscription } from './subscriptionPlan.js';
import { describeEsdbError } from './translateError.js';
import { abortableSleep } from '../../abortableSleep.js';

export interface ResubscribeTuning {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

const DEFAULT_TUNING: ResubscribeTuning = { initialBackoffMs: 100, maxBackoffMs: 5_000 };

/**
 * The client reports `caughtUp` as an event and checkpoints through a callback, both while it transforms
 * the gRPC message, so pushing a marker into the same readable keeps them in order with the events.
 */
type Marker = { marker: 'checkpoint'; position: EsdbPosition } | { marker: 'caughtUp' };

/**
 * subscribeToAll wrapped in a resubscribe loop: the client never resubscribes after a dropped connection,
 * so on any failure this waits (exponential backoff) and subscribes again after the last event or
 * checkpoint it passed on. subscribeToAll's fromPosition is exclusive, so nothing repeats or goes missing.
 */
export async function* esdbSubscription(
  client: EventStoreDBClient,
  options: SubscribeOptions,
  logger: Logger,
  tuning: ResubscribeTuning = DEFAULT_TUNING,
): AsyncGenerator<SubscriptionMessage> {
  const { signal } = options;
  const interval = Math.max(1, options.checkpointInterval ?? 32);
  const plan = planSubscription(options.filter, interval);
  let from: EsdbPosition | 'start' | 'end' =
    options.from === 'start' ? 'start' : options.from === 'end' ? 'end' : decodeEsdbPosition(options.from);
  let caughtUpSent = false;
  let unreported = 0;
  let failures = 0;

  while (!signal?.aborted) {
    let subscription: AllStreamSubscription | undefined;
    const stop = () => {
      if (!subscription) return;
      void subscription.unsubscribe();
      subscription.destroy();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      // 'end' becomes a concrete position once, so a resubscription cannot skip what came in meanwhile.
      if (from === 'end') from = await headPosition(client);
      const sub = client.subscribeToAll({
        fromPosition: from === 'start' ? START : from,
        filter: plan.serverFilter((position) => sub.push({ marker: 'checkpoint', position } satisfies Marker)),
      });
      subscription = sub;
      sub.on('caughtUp', () => sub.push({ marker: 'caughtUp' } satisfies Marker));
      for await (const item of sub as AsyncIterable<AllStreamResolvedEvent | Marker>) {
        if (failures > 0) logger.info({ attempts: failures }, 'EventStoreDB subscription resumed');
        failures = 0;
        if ('marker' in item) {
          if (item.marker === 'checkpoint') {
            from = item.position;
            unreported = 0;
            yield { kind: 'checkpoint', position: encodeEsdbPosition(item.position) };
          } else if (!caughtUpSent) {
            caughtUpSent = true;
            unreported = 0;
            yield { kind: 'caughtUp', position: from === 'start' ? undefined : encodeEsdbPosition(from) };
          }
          continue;
        }
        const event = toRecordedEvent(item);
        if (!event || !item.event) continue;
        from = item.event.position;
        if (plan.accepts(event.streamId, event.type)) {
          unreported = 0;
          yield { kind: 'event', event };
        } else if (++unreported >= interval) {
          unreported = 0;
          yield { kind: 'checkpoint', position: event.position };
        }
      }
      if (signal?.aborted) return;
      throw new Error('the server ended the subscription');
    } catch (error) {
      if (signal?.aborted) return;
      failures += 1;
      const retryInMs = Math.min(tuning.maxBackoffMs, tuning.initialBackoffMs * 2 ** (failures - 1));
      logger.warn(
        { err: describeEsdbError(error), attempt: failures, resumeAfter: typeof from === 'object' ? encodeEsdbPosition(from) : from, retryInMs },
        'EventStoreDB subscription dropped; resubscribing',
      );
      await abortableSleep(retryInMs, signal);
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  }
}

async function headPosition(client: EventStoreDBClient): Promise<EsdbPosition | 'start'> {
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  for await (const event of recordedEvents(read, { streamId: '$all' })) return decodeEsdbPosition(event.position);
  return 'start';
}
