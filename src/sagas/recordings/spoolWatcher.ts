import { createReadStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { exhaustMap, Subject, takeUntil, timer } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import type { SagaCommands } from '../process/sagaCommands.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import type { ObjectStorage } from '../../storage/objectStorage.js';
import type { RunningSaga } from '../runSaga.js';
import { SPOOL_NAMESPACE } from '../../domain/ids.js';

export interface SpoolWatcherOptions {
  store: EventStore;
  /** Command handlers, injected from the composition root (src/processPorts.ts sagaCommands). */
  commands: Pick<SagaCommands, 'stageSpooled'>;
  storage: ObjectStorage;
  logger: Logger;
  /** `RECORDINGS_SPOOL_DIR`: where Scalelite's scalelite_post_publish.rb rsyncs `<record_id>.tar`. */
  dir: string;
  intervalMs: number;
  maxBytes: number;
  now(): Date;
  stillHolds(): boolean;
}

/** rsync writes `.<name>.<random>` and renames when done: only whole `*.tar` files are taken. */
const SPOOL_FILE = /^[A-Za-z0-9_-]+\.tar$/;

/**
 * Scalelite's spool directory, polled like Scalelite's importer: each `<record_id>.tar` becomes the same
 * import as a node's upload, and is removed only once its RecordingUploaded is stored. The import id comes
 * from the file's name, size and time, so a crash between the two steps imports it once.
 */
export function runSpoolWatcher(options: SpoolWatcherOptions): RunningSaga {
  const log = options.logger.child({ process: 'recordingSpool', dir: options.dir });
  const stop$ = new Subject<void>();
  let running: Promise<void> = Promise.resolve();
  const subscription = timer(0, options.intervalMs)
    .pipe(
      exhaustMap(() => (running = scanOnce(options, log).then(
        () => undefined,
        (error: unknown) => log.warn({ err: error }, 'spool scan failed; the next scan retries'),
      ))),
      takeUntil(stop$),
    )
    .subscribe();
  log.info('watching the recordings spool directory');
  return {
    async stop() {
      stop$.next();
      subscription.unsubscribe();
      await running;
    },
  };
}

export async function scanOnce(options: SpoolWatcherOptions, log: Logger): Promise<number> {
  let staged = 0;
  for (const name of (await readdir(options.dir)).filter((n) => SPOOL_FILE.test(n)).sort()) {
    if (!options.stillHolds()) break;
    const path = join(options.dir, name);
    const info = await stat(path);
    const importId = uuidv5(`${name}:${info.size}:${info.mtimeMs}`, SPOOL_NAMESPACE);
    const context = { actor: 'saga:recordingSpool', correlationId: importId, causationId: importId, now: options.now(), commandId: importId };
    const archive = { importId, contentType: 'application/x-tar', body: createReadStream(path), maxBytes: options.maxBytes, expectedBytes: info.size };
    await options.commands.stageSpooled(archive, context);
    await unlink(path);
    log.info({ file: name, importId, bytes: info.size }, 'spooled recording staged for import');
    staged++;
  }
  return staged;
}
