import { abortableSleep } from '../abortableSleep.js';
import type { Logger } from '../logging.js';
import type { Lease } from './lease.js';
import type { RunningSaga } from './runSaga.js';

export interface LeasedSagaOptions {
  name: string;
  lease: Lease;
  /** `LEASE_TTL_MS`: how long a lease lasts unrenewed; another instance takes over at most this (plus one renew period) after the holder died. */
  ttlMs: number;
  /** `LEASE_RENEW_MS`: how often the holder renews, and how often the others try to take it. */
  renewMs: number;
  logger: Logger;
  /**
   * Starts the saga once the lease is ours. `stillHolds()` is the fence: false as soon as the lease may have
   * expired by this process's clock (a renewal overdue, a pause), so the saga makes no side effect then.
   */
  start(stillHolds: () => boolean): RunningSaga;
  now?: () => number;
}

/**
 * Runs a saga only while this instance holds its lease: tries to take it every renew period, starts the
 * saga when it does, renews, and stops the saga as soon as a renewal fails or is overdue, before the lease
 * can expire and another instance start it. Stopping releases the lease for a quick takeover.
 */
export function runLeasedSaga(options: LeasedSagaOptions): RunningSaga {
  const { name, lease, ttlMs, renewMs } = options;
  const now = options.now ?? Date.now;
  const log = options.logger.child({ saga: name });
  const stopping = new AbortController();
  let saga: RunningSaga | undefined;
  let heldUntil = 0;
  let watchdog: NodeJS.Timeout | undefined;

  // A lease store that does not answer within the ttl has answered "no": the loop must go on to retry.
  const withinTtl = (attempt: Promise<boolean>): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ttlMs);
      void attempt.then(
        (held) => resolve(held),
        () => resolve(false),
      ).finally(() => clearTimeout(timer));
    });
  const stillHolds = () => saga !== undefined && now() < heldUntil;
  // The clock, not the next renewal, ends a holding: a renewal that hangs must not keep the saga running.
  const holdUntil = (until: number) => {
    heldUntil = until;
    clearTimeout(watchdog);
    watchdog = setTimeout(() => void lose('the lease expired before a renewal succeeded'), Math.max(0, until - now()));
  };
  let losing: Promise<void> | undefined;
  const lose = (why: string): Promise<void> => {
    if (!saga) return Promise.resolve();
    losing ??= (async () => {
      heldUntil = 0;
      clearTimeout(watchdog);
      log.warn({ lease: name, why }, `lease ${name} lost; stopping the saga`);
      const running = saga;
      saga = undefined;
      await running?.stop();
    })().finally(() => (losing = undefined));
    return losing;
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const attemptAt = now();
      if (!saga) {
        const acquired = !losing && (await withinTtl(lease.acquire()));
        if (acquired && stopping.signal.aborted) {
          await lease.release();
          break;
        }
        if (acquired) {
          holdUntil(attemptAt + ttlMs);
          log.info({ lease: name }, `lease ${name} acquired; starting the saga`);
          saga = options.start(stillHolds);
        }
      } else if (await withinTtl(lease.renew())) {
        if (saga) holdUntil(attemptAt + ttlMs);
      } else {
        await lose('another instance holds it, or the lease store lost it');
      }
      await abortableSleep(renewMs, stopping.signal);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
      clearTimeout(watchdog);
      const running = saga;
      saga = undefined;
      await losing;
      await running?.stop();
      if (running) {
        await lease.release();
        log.info({ lease: name }, `lease ${name} released`);
      }
    },
  };
}
