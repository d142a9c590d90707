import type { SubscriptionMessage } from '../../src/eventstore/port.js';

/** Pulls messages from a subscription with a deadline, so a broken adapter fails the test instead of hanging it. */
export class SubscriptionReader {
  private readonly iterator: AsyncIterator<SubscriptionMessage>;
  private readonly controller: AbortController;

  constructor(subscribe: (signal: AbortSignal) => AsyncIterable<SubscriptionMessage>) {
    this.controller = new AbortController();
    this.iterator = subscribe(this.controller.signal)[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 5000): Promise<SubscriptionMessage> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no subscription message within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([this.iterator.next(), timeout]);
      if (result.done) throw new Error('subscription ended unexpectedly');
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Collects messages until `count` events have arrived, keeping the non-event messages seen on the way. */
  async events(count: number, timeoutMs = 5000): Promise<SubscriptionMessage[]> {
    const seen: SubscriptionMessage[] = [];
    let events = 0;
    while (events < count) {
      const message = await this.next(timeoutMs);
      seen.push(message);
      if (message.kind === 'event') events += 1;
    }
    return seen;
  }

  /** Reads until a message of `kind`, returning everything up to and including it. */
  async until(kind: SubscriptionMessage['kind'], timeoutMs = 5000): Promise<SubscriptionMessage[]> {
    const seen: SubscriptionMessage[] = [];
    for (;;) {
      const message = await this.next(timeoutMs);
      seen.push(message);
      if (message.kind === kind) return seen;
    }
  }

  close(): void {
    this.controller.abort();
    void this.iterator.return?.();
  }
}

export function eventsOf(messages: SubscriptionMessage[]) {
  return messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
}
