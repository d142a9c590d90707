import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../../logging.js';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../port.js';
import { currentHorizon, isHorizonSettled, readLogPage, readStreamPage } from './readSql.js';
import { LOG_START, toCursor, toRecordedEvent, type LogCursor } from './rowMapping.js';

/** Each page is its own pool query: no client is held while the caller works on a yielded event. */
const PAGE_SIZE = 1000;
const MAX_BIGINT = 9223372036854775807n;
const LOG_END: LogCursor = { xid: MAX_BIGINT.toString(), globalPosition: MAX_BIGINT.toString() };
const SLOW_SETTLE_WARNING_MS = 10_000;

export async function* readStreamPages(
  pool: pg.Pool,
  schema: string,
  streamId: string,
  options: ReadStreamOptions,
): AsyncGenerator<RecordedEvent> {
  const backwards = options.direction === 'backwards';
  const from = options.fromRevision ?? (backwards ? 'end' : 'start');
  // Forwards from 'end' reads nothing, but a missing stream must still be reported.
  let remaining = !backwards && from === 'end' ? 0 : options.maxCount ?? Infinity;
  let fromRevision = from === 'start' ? undefined : from === 'end' ? MAX_BIGINT : from;
  for (;;) {
    const limit = Math.min(PAGE_SIZE, remaining);
    const page = await readStreamPage(pool, schema, streamId, { backwards, fromRevision, limit });
    for (const row of page) yield toRecordedEvent(row);
    remaining -= page.length;
    const last = page[page.length - 1];
    if (!last || page.length < limit || remaining <= 0) return;
    fromRevision = backwards ? BigInt(last.revision) - 1n : BigInt(last.revision) + 1n;
  }
}

/**
 * Everything committed before the call, in the global order. Waits first for the transactions that were
 * running at the call (usually a few ms), so a page boundary can never be overtaken by a late commit and
 * a caller always sees its own appends.
 */
export async function* readAllPages(
  pool: pg.Pool,
  schema: string,
  options: ReadAllOptions,
  logger: Logger,
): AsyncGenerator<RecordedEvent> {
  const backwards = options.direction === 'backwards';
  const from = options.from ?? (backwards ? 'end' : 'start');
  if ((backwards && from === 'start') || (!backwards && from === 'end')) return;
  let cursor = from === 'start' ? LOG_START : from === 'end' ? LOG_END : toCursor(from);
  let remaining = options.maxCount ?? Infinity;
  const horizon = await waitForSettledHorizon(pool, logger);
  while (remaining > 0) {
    const limit = Math.min(PAGE_SIZE, remaining);
    const page = await readLogPage(pool, schema, { cursor, horizon, backwards, limit });
    for (const row of page) yield toRecordedEvent(row);
    remaining -= page.length;
    const last = page[page.length - 1];
    if (!last || page.length < limit) return;
    cursor = { xid: last.xid, globalPosition: last.global_position };
  }
}

/**
 * The transaction id below which the log is final: every transaction that had started when this was called
 * has ended.
 */
export async function waitForSettledHorizon(pool: pg.Pool, logger: Logger, signal?: AbortSignal): Promise<string> {
  const { horizon, settled } = await currentHorizon(pool);
  if (!settled) await waitUntilSettled(pool, horizon, logger, signal);
  return horizon;
}

/**
 * Waits until no transaction below `horizon` is running (usually a few ms). The snapshot xmin is
 * cluster-wide, so a long write transaction anywhere delays this; say so after a while.
 */
export async function waitUntilSettled(pool: pg.Pool, horizon: string, logger: Logger, signal?: AbortSignal): Promise<void> {
  const started = Date.now();
  let delay = 1;
  let warned = false;
  while (!signal?.aborted && !(await isHorizonSettled(pool, horizon))) {
    await sleep(delay, undefined, { signal }).catch(() => undefined);
    delay = Math.min(50, delay * 2);
    if (!warned && Date.now() - started > SLOW_SETTLE_WARNING_MS) {
      warned = true;
      logger.warn(
        { horizon },
        'event store read is waiting for a long-running write transaction to end; find it in pg_stat_activity (oldest backend_xid) and end it, or set idle_in_transaction_session_timeout',
      );
    }
  }
}
