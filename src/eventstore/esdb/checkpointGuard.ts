import type { Position as EsdbPosition } from '@eventstore/db-client';

/** The server's positions are signed 64-bit (TFPos); Position.FromInt64(-1, -1) arrives as 2^64−1. */
const MAX_VALID = 2n ** 63n - 1n;

export type CheckpointVerdict = 'invalid' | 'stale' | 'held';

/**
 * Decides which server checkpoints may be passed on as resume points. Some servers send a checkpoint of
 * 2^64−1 (24.2 … 24.10.4) or one at a record they have not processed yet (24.10.0 … 24.10.4, 25.0.0), so
 * a resume from it would skip an event. A checkpoint is therefore held until something proves the
 * server read past it: a later checkpoint, or `caughtUp`. An event at or after a held checkpoint makes it
 * redundant (or shows it was early), so it is dropped. Invalid ones are never passed on.
 */
export class CheckpointGuard {
  private held: EsdbPosition | undefined;

  constructor(private last: EsdbPosition | undefined) {}

  /** A checkpoint from the server. Returns a previously held one that this one proves, to pass on now. */
  offer(position: EsdbPosition): { verdict: CheckpointVerdict; release?: EsdbPosition } {
    if (!isValid(position)) return { verdict: 'invalid' };
    if (this.last && compare(position, this.last) <= 0) return { verdict: 'stale' };
    const release = this.held && compare(position, this.held) > 0 ? this.held : undefined;
    this.held = position;
    return release ? { verdict: 'held', release: this.passed(release) } : { verdict: 'held' };
  }

  /** An event about to be delivered (it is now the resume point; a held checkpoint before it adds nothing). */
  event(position: EsdbPosition): void {
    this.held = undefined;
    this.passed(position);
  }

  /** Everything stored has been delivered: a held checkpoint is safe now. */
  caughtUp(): EsdbPosition | undefined {
    const held = this.held;
    this.held = undefined;
    return held ? this.passed(held) : undefined;
  }

  /** A checkpoint the adapter made itself from an event it saw. */
  passed(position: EsdbPosition): EsdbPosition {
    this.last = position;
    return position;
  }
}

export function isValid(position: EsdbPosition): boolean {
  return position.commit >= 0n && position.commit <= MAX_VALID && position.prepare >= 0n && position.prepare <= MAX_VALID;
}

export function compare(a: EsdbPosition, b: EsdbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}
