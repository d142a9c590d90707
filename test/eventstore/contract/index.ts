import type { Test } from 'tap';
import { appendAndReadContract } from './appendAndRead.js';
import type { MakeStore } from './fixtures.js';
import { subscriptionContract } from './subscriptions.js';

export type { MakeStore } from './fixtures.js';

/**
 * The one event-store contract: every adapter runs exactly these cases. `makeStore` gives an isolated store
 * (fresh, or a shared server where every case uses its own stream names).
 */
export function eventStoreContract(t: Test, makeStore: MakeStore): void {
  appendAndReadContract(t, makeStore);
  subscriptionContract(t, makeStore);
}
