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
import type { Position, RecordedEvent, SubscribeOptions, SubscriptionMessage } from '../port.js';
import { abortableSleep } from '../../abortableSleep.js';
import { CheckpointGuard, compare } from './checkpointGuard.js';
import { recordedEvents } from './clientReads.js';
import { decodeEsdbPosition, encodeEsdbPosition, toRecordedEvent } from './esdbMapping.js';
import { planSubscription, type SubscriptionPlan } from './subscriptionPlan.js';
import { describeEsdbError } from './translateError.js';

export interface ResubscribeTuning {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

const DEFAULT_TUNING: ResubscribeTuning = { initialBackoffMs: 100, maxBackoffMs: 5_000 };

export interface SubscriptionServer {
  /** false before 23.10: the history is then read here and `caughtUp` synthesised after it. */
  sendsCaughtUp: boolean;
  /** The adapter's readAll (exclusive positions, no system events), for that synthesised catch-up. */
  readAll: (from: Position | 'start') => AsyncIterable<RecordedEvent>;
}

/**
 * The client reports `caughtUp` as an event and checkpoints through a callback, both while it transforms
 * the gRPC message, so pushing a marker into the same readable keeps them in order with the events.
 */
type Marker = { marker: 'checkpoint'; position: EsdbPosition } | { marker: 'caughtUp' };

/**
 * subscribeToAll wrapped in a resubscribe loop: the client never resubscribes after a dropped connection,
 * so on any failure this waits (exponential backoff) and subscribes again after the last event or
 * checkpoint it passed on. subscribeToAll's fromPosition is exclusive, so nothing repeats or goes missing.
 * Server checkpoints pass through a CheckpointGuard, so an invalid or early one never becomes a resume point.
 */
export async function* esdbSubscription(
  client: EventStoreDBClient,
  options: SubscribeOptions,
  logger: Logger,
  server: SubscriptionServer,
  tuning: ResubscribeTuning = DEFAULT_TUNING,
): AsyncGenerator<SubscriptionMessage> {
  const { signal } = options;
  const interval = Math.max(1, options.checkpointInterval ?? 32);
  const plan = planSubscription(options.filter, interval);
  let from: EsdbPosition | 'start' | 'end' =
    options.from === 'start' ? 'start' : options.from === 'end' ? 'end' : decodeEsdbPosition(options.from);
  const guard = new CheckpointGuard(typeof from === 'object' ? from : undefined);
  let caughtUpSent = false;
  let unreported = 0;
  let failures = 0;
  let invalidLogged = false;
  const checkpoint = (position: EsdbPosition): SubscriptionMessage => {
    from = position;
    unreported = 0;
    return { kind: 'checkpoint', position: encodeEsdbPosition(position) };
  };
  const caughtUp = (): SubscriptionMessage => {
    caughtUpSent = true;
    unreported = 0;
    return { kind: 'caughtUp', position: from === 'start' || from === 'end' ? undefined : encodeEsdbPosition(from) };
  };

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
      if (!server.sendsCaughtUp && !caughtUpSent) {
        for await (const message of readHistory(client, server, plan, from, interval, guard)) {
          if (message.kind === 'checkpoint') yield checkpoint(decodeEsdbPosition(message.position));
          else if (message.kind === 'event') {
            from = decodeEsdbPosition(message.event.position);
            yield message;
          } else {
            if (message.position) from = decodeEsdbPosition(message.position);
            yield caughtUp();
          }
        }
      }
      const sub = client.subscribeToAll({
        fromPosition: from === 'start' ? START : from,
        filter: plan.serverFilter((position) => sub.push({ marker: 'checkpoint', position } satisfies Marker)),
      });
      subscription = sub;
      // An abort while the history above was read found no subscription to stop.
      if (signal?.aborted) return;
      sub.on('caughtUp', () => sub.push({ marker: 'caughtUp' } satisfies Marker));
      for await (const item of sub as AsyncIterable<AllStreamResolvedEvent | Marker>) {
        if (failures > 0) logger.info({ attempts: failures }, 'EventStoreDB subscription resumed');
        failures = 0;
        if ('marker' in item) {
          if (item.marker === 'checkpoint') {
            const { verdict, release } = guard.offer(item.position);
            if (verdict === 'invalid' && !invalidLogged) {
              invalidLogged = true;
              logger.warn({ commit: String(item.position.commit), prepare: String(item.position.prepare) }, 'EventStoreDB sent an invalid checkpoint; ignored (fixed in server 24.10.5)');
            }
            if (release) yield checkpoint(release);
          } else if (!caughtUpSent) {
            const release = guard.caughtUp();
            if (release) yield checkpoint(release);
            yield caughtUp();
          }
          continue;
        }
        const event = toRecordedEvent(item);
        if (!event || !item.event) continue;
        from = item.event.position;
        guard.event(item.event.position);
        if (plan.accepts(event.streamId, event.type)) {
          unreported = 0;
          yield { kind: 'event', event };
        } else if (++unreported >= interval) {
          yield checkpoint(item.event.position);
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

/**
 * For servers without `caughtUp`: everything stored up to the head as it is now, read page by page and
 * filtered here, then `caughtUp` at the head. Positions here come from events read, so they are exact.
 */
async function* readHistory(
  client: EventStoreDBClient,
  server: SubscriptionServer,
  plan: SubscriptionPlan,
  from: EsdbPosition | 'start',
  interval: number,
  guard: CheckpointGuard,
): AsyncGenerator<SubscriptionMessage> {
  const head = await headPosition(client);
  let unreported = 0;
  if (head !== 'start') {
    for await (const event of server.readAll(from === 'start' ? 'start' : encodeEsdbPosition(from))) {
      const position = decodeEsdbPosition(event.position);
      if (compare(position, head) > 0) break;
      guard.event(position);
      if (plan.accepts(event.streamId, event.type)) {
        unreported = 0;
        yield { kind: 'event', event };
      } else if (++unreported >= interval) {
        unreported = 0;
        yield { kind: 'checkpoint', position: event.position };
      }
    }
  }
  const end = head !== 'start' && (from === 'start' || compare(head, from) > 0) ? head : undefined;
  if (end) guard.passed(end);
  yield { kind: 'caughtUp', position: end ? encodeEsdbPosition(end) : undefined };
}

async function headPosition(client: EventStoreDBClient): Promise<EsdbPosition | 'start'> {
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  for await (const event of recordedEvents(read, { streamId: '$all' })) return decodeEsdbPosition(event.position);
  return 'start';
}
