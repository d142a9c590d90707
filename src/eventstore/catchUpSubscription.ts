import { abortableSleep } from '../abortableSleep.js';
import { matchesFilter } from './port.js';
import type { Position, RecordedEvent, SubscribeOptions, SubscriptionMessage } from './port.js';

/** What a polling adapter supplies to get catch-up subscriptions. */
export interface CatchUpSource {
  /** Position of the last event a reader may safely pass (Postgres: below the snapshot xmin). */
  head(): Promise<Position | undefined>;
  /** Up to `limit` events strictly after `after` (undefined = from the beginning), in global order. */
  readPage(after: Position | undefined, limit: number): Promise<RecordedEvent[]>;
  /** A wake-up source for this subscription: `wait` resolves when something may have been appended. */
  listen(): { wait(timeoutMs: number, signal?: AbortSignal): Promise<void>; close(): void };
  /** Told about every failed read before the subscription retries it (log it; do not throw). */
  onReadError?(error: unknown, attempt: number): void;
}

export interface CatchUpTuning {
  pageSize: number;
  /** Longest wait for a wake-up before polling again: the fallback when notifications are lost. */
  idleWaitMs: number;
  maxBackoffMs: number;
}

const DEFAULT_TUNING: CatchUpTuning = { pageSize: 500, idleWaitMs: 1000, maxBackoffMs: 10_000 };

/**
 * Reads pages after the last scanned position until the head, announces `caughtUp` once, then waits for
 * appends. A failed read (lost connection) is retried from the same position with backoff, so nothing is
 * skipped or delivered twice.
 */
export async function* catchUpSubscription(
  options: SubscribeOptions,
  source: CatchUpSource,
  tuning: Partial<CatchUpTuning> = {},
): AsyncGenerator<SubscriptionMessage> {
  const { pageSize, idleWaitMs, maxBackoffMs } = { ...DEFAULT_TUNING, ...tuning };
  const { signal, filter } = options;
  const checkpointInterval = Math.max(1, options.checkpointInterval ?? 32);
  let cursor = options.from === 'start' ? undefined : options.from === 'end' ? await source.head() : options.from;
  let caughtUp = false;
  let unreported = 0;
  let failures = 0;
  const appended = source.listen();

  try {
    while (!signal?.aborted) {
      let page: RecordedEvent[];
      try {
        page = await source.readPage(cursor, pageSize);
        failures = 0;
      } catch (error) {
        failures += 1;
        source.onReadError?.(error, failures);
        await abortableSleep(Math.min(maxBackoffMs, 100 * 2 ** failures), signal);
        continue;
      }
      for (const event of page) {
        if (signal?.aborted) return;
        cursor = event.position;
        unreported += 1;
        if (matchesFilter(filter, event.streamId, event.type)) {
          unreported = 0;
          yield { kind: 'event', event };
        } else if (unreported >= checkpointInterval) {
          unreported = 0;
          yield { kind: 'checkpoint', position: cursor };
        }
      }
      if (page.length < pageSize) {
        if (!caughtUp) {
          caughtUp = true;
          unreported = 0;
          yield { kind: 'caughtUp', position: cursor };
        } else if (unreported > 0 && cursor !== undefined) {
          unreported = 0;
          yield { kind: 'checkpoint', position: cursor };
        }
        await appended.wait(idleWaitMs, signal);
      }
    }
  } finally {
    appended.close();
  }
}
