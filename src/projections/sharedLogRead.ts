import { isAfter } from './projection.js';
import { matchesFilter, type EventStore, type Position, type SubscribeOptions, type SubscriptionMessage } from '../eventstore/port.js';

/** A consumer further behind the fastest than this many messages holds the shared read back. */
const HIGH_WATER = 20_000;
const DEFAULT_CHECKPOINT_INTERVAL = 32;

type Subscribable = Pick<EventStore, 'subscribe'>;

/**
 * One unfiltered subscription to $all, fanned out to the runners of a rebuild or to an instance's in-process
 * models (runnerSet.ts), so the log is read (and its rows mapped) once however many read models follow it. `subscribe` behaves like the store's for each
 * runner: its own filter, checkpoints for filtered-out stretches, `caughtUp` when the shared read is.
 * The shared read starts once `consumers` runners have subscribed, so none misses the first events.
 */
export class SharedLogRead implements Subscribable {
  private readonly queues: ConsumerQueue[] = [];
  private started = false;

  constructor(
    private readonly store: Subscribable,
    private readonly consumers: number,
    private readonly signal: AbortSignal,
    /** Called with the number of log events read since the last call. */
    private readonly onRead: (events: number) => void = () => {},
    private readonly highWater = HIGH_WATER,
  ) {
    signal.addEventListener('abort', () => this.end(undefined), { once: true });
  }

  subscribe(options: SubscribeOptions): AsyncIterable<SubscriptionMessage> {
    if (options.from === 'end') throw new Error('a shared read of the log starts at its beginning');
    const queue = new ConsumerQueue(() => this.resumeProducer());
    this.queues.push(queue);
    if (this.queues.length === this.consumers && !this.started) {
      this.started = true;
      void this.produce();
    }
    return filtered(queue, options);
  }

  private resumeProducer: () => void = () => {};

  private async produce(): Promise<void> {
    try {
      for await (const message of this.store.subscribe({ from: 'start', signal: this.signal })) {
        const live = this.queues.filter((q) => !q.closed);
        if (live.length === 0) return;
        for (const queue of live) queue.push(message);
        if (message.kind === 'event') this.onRead(1);
        while (live.some((q) => !q.closed && q.backlog > this.highWater)) {
          await new Promise<void>((resolve) => (this.resumeProducer = resolve));
        }
      }
      this.end(undefined);
    } catch (error) {
      this.end(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private end(error: Error | undefined): void {
    for (const queue of this.queues) queue.finish(error);
    this.resumeProducer();
  }
}

/** The messages one runner has yet to take; `onDrained` lets the producer go on once it has caught up. */
class ConsumerQueue {
  private items: SubscriptionMessage[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  private error: Error | undefined;
  closed = false;

  constructor(private readonly onDrained: () => void) {}

  get backlog(): number {
    return this.items.length - this.head;
  }

  push(message: SubscriptionMessage): void {
    this.items.push(message);
    this.wake?.();
  }

  finish(error: Error | undefined): void {
    this.ended = true;
    this.error ??= error;
    this.wake?.();
  }

  /** Everything queued so far (the caller owns the array); waits while nothing is. Empty at the end. */
  async take(): Promise<SubscriptionMessage[]> {
    while (this.backlog === 0) {
      if (this.ended) {
        if (this.error) throw this.error;
        return [];
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const taken = this.head === 0 ? this.items : this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.onDrained();
    return taken;
  }
}

async function* filtered(queue: ConsumerQueue, options: SubscribeOptions): AsyncGenerator<SubscriptionMessage> {
  const from: Position | undefined = options.from === 'start' || options.from === 'end' ? undefined : options.from;
  const interval = Math.max(1, options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL);
  let unreported = 0;
  let live = false;
  try {
    for (;;) {
      const messages = await queue.take();
      if (messages.length === 0) return;
      for (const message of messages) {
        if (options.signal?.aborted) return;
        if (message.kind !== 'event') {
          if (message.kind === 'caughtUp') live = true;
          unreported = 0;
          yield message;
          continue;
        }
        const { event } = message;
        if (!isAfter(event.position, from)) continue;
        if (matchesFilter(options.filter, event.streamId, event.type)) {
          unreported = 0;
          yield message;
        } else if (live || ++unreported >= interval) {
          // Live, the shared read never says when it waits: report a skipped event at once, or it may lag.
          unreported = 0;
          yield { kind: 'checkpoint', position: event.position };
        }
      }
    }
  } finally {
    queue.closed = true;
    queue.finish(undefined);
  }
}
