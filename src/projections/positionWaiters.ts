import type { Position } from '../eventstore/port.js';
import { isAfter } from './projection.js';

interface Waiter {
  position: Position;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

/** The last committed checkpoint, and the callers waiting for it to pass a position. */
export class PositionWaiters {
  checkpoint: Position | undefined;
  private readonly waiting = new Set<Waiter>();

  advance(to: Position | undefined): void {
    if (to === undefined || !isAfter(to, this.checkpoint)) return;
    this.checkpoint = to;
    for (const waiter of this.waiting) {
      if (!isAfter(waiter.position, to)) this.settle(waiter).resolve();
    }
  }

  waitFor(position: Position, projection: string, timeoutMs?: number): Promise<void> {
    if (!isAfter(position, this.checkpoint)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { position, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(
          () => this.settle(waiter).reject(new Error(`projection ${projection} did not reach ${position} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
      this.waiting.add(waiter);
    });
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiting) this.settle(waiter).reject(error);
  }

  private settle(waiter: Waiter): Waiter {
    clearTimeout(waiter.timer);
    this.waiting.delete(waiter);
    return waiter;
  }
}
