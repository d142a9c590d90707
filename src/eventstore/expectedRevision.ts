import { WrongExpectedVersionError } from './errors.js';
import type { ExpectedRevision } from './port.js';

/** `current` is the revision of the stream's last live event, or 'no_stream' (missing or soft-deleted). */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  current: bigint | 'no_stream',
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === 'no_stream') ||
    (expected === 'stream_exists' && current !== 'no_stream') ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedVersionError(streamId, String(expected), current);
}
