import {
  CancelledError as EsdbCancelledError,
  NotLeaderError as EsdbNotLeaderError,
  UnavailableError as EsdbUnavailableError,
  UnknownError as EsdbUnknownError,
} from '@eventstore/db-client';
import type { Logger } from '../../logging.js';
import { describeEsdbError } from './translateError.js';

export interface WriteRetryTuning {
  /** The whole append, retries included, gives up after this long. */
  deadlineMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_WRITE_RETRY: WriteRetryTuning = { deadlineMs: 10_000, initialBackoffMs: 50, maxBackoffMs: 1_000 };

/**
 * A write the server did not do, or may have done without the answer arriving: retrying it is safe because
 * the adapter recognises a replayed batch by its event ids. NotLeader: a follower refused, the client
 * reconnects to the leader it named. Unavailable: connection lost, or NotHandled NotReady / TooBusy on the
 * Append call. Cancelled: the server cancels calls as it shuts down (24.4+). UnknownError "Server Is Not
 * Ready" / "Server Is Busy": the same NotHandled reasons as BatchAppend reports them.
 */
export function isRetryableWrite(error: unknown): boolean {
  if (error instanceof EsdbNotLeaderError || error instanceof EsdbUnavailableError || error instanceof EsdbCancelledError) return true;
  return error instanceof EsdbUnknownError && /Server Is (Not Ready|Busy|Too Busy)/.test(error.message);
}

/** Runs `write` until it succeeds, fails for good, or the deadline passes; waits with exponential backoff. */
export async function retryWrite<T>(write: () => Promise<T>, context: { streamId: string; logger: Logger; tuning: WriteRetryTuning }): Promise<T> {
  const { tuning, logger, streamId } = context;
  const giveUpAt = Date.now() + tuning.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const waitMs = Math.min(tuning.maxBackoffMs, tuning.initialBackoffMs * 2 ** (attempt - 1));
      if (!isRetryableWrite(error) || Date.now() + waitMs > giveUpAt) throw error;
      logger.warn({ streamId, attempt, retryInMs: waitMs, err: describeEsdbError(error) }, 'EventStoreDB did not take the append; retrying');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
