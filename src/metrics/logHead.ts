import { matchesFilter, type EventStore, type Position, type SubscriptionFilter } from '../eventstore/port.js';
import type { Logger } from '../logging.js';

interface Seen {
  position: Position;
  recordedAt: number;
  streamId: string;
  type: string;
}

export interface Lag {
  /** Events after the checkpoint that the read model wants (a lower bound past `capacity`). */
  events: number;
  /** Age of the oldest of them; 0 when none. */
  seconds: number;
}

/**
 * The head of `$all` as this process sees it live: the last `capacity` events (position, time, stream, type).
 * A read model's lag is what came after its checkpoint and passes its filter, without reading the store.
 */
export class LogHead {
  private readonly seen: Seen[] = [];
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly capacity = 50_000) {}

  /** Follows the log from its end until `stop()`; a failure is logged and the lag reads 0 from then on. */
  start(store: Pick<EventStore, 'subscribe'>, logger: Logger): void {
    this.running = (async () => {
      for await (const message of store.subscribe({ from: 'end', signal: this.controller.signal })) {
        if (message.kind === 'event') this.add(message.event.position, message.event.recordedAt.getTime(), message.event.streamId, message.event.type);
      }
    })().catch((error: unknown) => {
      if (!this.controller.signal.aborted) logger.warn({ err: error }, 'metrics: following the log head failed; projection lag reads 0');
    });
  }

  add(position: Position, recordedAt: number, streamId: string, type: string): void {
    this.seen.push({ position, recordedAt, streamId, type });
    if (this.seen.length > this.capacity * 1.25) this.seen.splice(0, this.seen.length - this.capacity);
  }

  lag(checkpoint: Position | undefined, filter: SubscriptionFilter | undefined, now: number): Lag {
    let events = 0;
    let oldest: number | undefined;
    for (let i = this.firstAfter(checkpoint); i < this.seen.length; i++) {
      const seen = this.seen[i]!;
      if (!matchesFilter(filter, seen.streamId, seen.type)) continue;
      events += 1;
      oldest ??= seen.recordedAt;
    }
    return { events, seconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000) };
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  /** Positions of one store compare as strings, and arrive in order. */
  private firstAfter(checkpoint: Position | undefined): number {
    if (checkpoint === undefined) return 0;
    let low = 0;
    let high = this.seen.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.seen[mid]!.position > checkpoint) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
