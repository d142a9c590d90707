/**
 * When to try again after a failure: exponential backoff with full jitter, bounded in attempts and delay.
 * Pure (the random source comes in), so a saga can store the decision in an event and a test can pin it.
 * One policy for renders and outgoing deliveries (recording-ready callbacks, hooks).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure there is no next attempt. */
  maxAttempts: number;
  /** Delay ceiling before the second attempt; each further attempt doubles it. */
  baseDelayMs: number;
  /** No delay grows past this. */
  maxDelayMs: number;
  /**
   * Share of the delay that is random, 0–1: 0 = always the full delay, 1 = anywhere from 0 to it ("full
   * jitter"), so many deliveries failing at once against one receiver do not come back at once.
   */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 5_000, maxDelayMs: 300_000, jitter: 0.5 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * What follows the `failedAttempt`-th failure (1 = the first attempt failed).
 * `random` returns a number in [0, 1), as Math.random does.
 */
export function nextRetry(policy: RetryPolicy, failedAttempt: number, random: () => number): RetryDecision {
  if (failedAttempt >= policy.maxAttempts) return { retry: false };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return { retry: true, delayMs: Math.round(ceiling * (1 - jitter * random())) };
}

/** The delays of every retry the policy allows, e.g. to print it or to bound the total time in a test. */
export function retrySchedule(policy: RetryPolicy, random: () => number): number[] {
  const delays: number[] = [];
  for (let failed = 1; ; failed++) {
    const next = nextRetry(policy, failed, random);
    if (!next.retry) return delays;
    delays.push(next.delayMs);
  }
}
