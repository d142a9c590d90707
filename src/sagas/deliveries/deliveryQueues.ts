import type { QueueReading } from '../../metrics/registry.js';

export type DeliveryQueueKind = 'callbacks' | 'hooks';

/**
 * The delivery process's queue as /metrics reads it (`saga_queue_depth{saga="callbacks"|"hooks"}` and the oldest
 * item's age): what is waiting, by when it was requested. Kept by the lease holder's process; another instance
 * reads an empty queue.
 */
export class DeliveryQueues {
  private readonly waiting = new Map<string, { kind: DeliveryQueueKind; requestedAt: number }>();

  /** `deliveryId` is waiting since `requestedAt` (epoch ms of its request event); a known one keeps its time. */
  waits(deliveryId: string, requestedAt: number): void {
    if (!this.waiting.has(deliveryId)) this.waiting.set(deliveryId, { kind: deliveryId.startsWith('hook-') ? 'hooks' : 'callbacks', requestedAt });
  }

  done(deliveryId: string): void {
    this.waiting.delete(deliveryId);
  }

  clear(): void {
    this.waiting.clear();
  }

  reading(kind: DeliveryQueueKind, now: number): QueueReading {
    let depth = 0;
    let oldest = now;
    for (const item of this.waiting.values()) {
      if (item.kind !== kind) continue;
      depth++;
      oldest = Math.min(oldest, item.requestedAt);
    }
    return { depth, oldestAgeSeconds: Math.max(0, (now - oldest) / 1000) };
  }
}
