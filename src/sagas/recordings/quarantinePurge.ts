import { exhaustMap, timer } from 'rxjs';
import type { Logger } from '../../logging.js';
import type { RunningSaga } from '../runSaga.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';

/**
 * Removes quarantined uploads older than `days`: RecordingImportFailed keeps the reason and detail in the log
 * for good; only the bytes an operator could have looked at go.
 */
export async function purgeQuarantine(storage: ObjectStorage, days: number, now: Date, logger: Logger): Promise<number> {
  const cutoff = now.getTime() - days * 86_400_000;
  let removed = 0;
  for await (const item of storage.list(STORAGE_KEYS.quarantinePrefix)) {
    if (item.modified.getTime() >= cutoff) continue;
    await storage.delete(item.key);
    removed++;
  }
  if (removed > 0) logger.info({ removed, days }, 'quarantined recording uploads purged');
  return removed;
}

/** Purges on a timer (first at start), one pass at a time. */
export function runQuarantinePurge(options: { storage: ObjectStorage; days: number; intervalMs: number; logger: Logger; now(): Date }): RunningSaga {
  let running: Promise<unknown> = Promise.resolve();
  const subscription = timer(0, options.intervalMs)
    .pipe(
      exhaustMap(() =>
        (running = purgeQuarantine(options.storage, options.days, options.now(), options.logger).catch((error: unknown) =>
          options.logger.warn({ err: error }, 'quarantine purge failed; the next pass retries'),
        )),
      ),
    )
    .subscribe();
  return {
    async stop() {
      subscription.unsubscribe();
      await running;
    },
  };
}
