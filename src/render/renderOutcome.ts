import { nextRetry, type RetryDecision, type RetryPolicy } from '../retryPolicy.js';
import { RenderError } from './renderError.js';

/**
 * What the render saga records after an attempt threw: a RecordingRenderFailed (reason, detail for the
 * operator, and whether and when to try again), or nothing at all when the attempt was cut short by a
 * shutdown or rendering is off: then the render is still owed and runs again later.
 */
export type RenderFailureOutcome =
  | { kind: 'failed'; reason: 'noInput' | 'ffmpegFailed' | 'timeout'; detail: string; next: RetryDecision }
  | { kind: 'notAttempted'; why: 'aborted' | 'ffmpegMissing' };

/** `attempt` counts from 1; anything thrown that is not a RenderError (a disk error, a bug) counts as ffmpegFailed. */
export function renderFailureOutcome(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): RenderFailureOutcome {
  const detail = error instanceof Error ? error.message : String(error);
  if (!(error instanceof RenderError)) return { kind: 'failed', reason: 'ffmpegFailed', detail, next: nextRetry(policy, attempt, random) };
  const { reason } = error;
  if (reason === 'aborted' || reason === 'ffmpegMissing') return { kind: 'notAttempted', why: reason };
  return { kind: 'failed', reason, detail, next: error.retryable ? nextRetry(policy, attempt, random) : { retry: false } };
}
