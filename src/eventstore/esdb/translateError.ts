import {
  InvalidArgumentError as EsdbInvalidArgumentError,
  MaxAppendSizeExceededError as EsdbMaxAppendSizeExceededError,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  InvalidEventError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import type { ExpectedRevision } from '../port.js';

export interface ErrorContext {
  streamId: string;
  /** What the caller asked for, reported in WrongExpectedVersion instead of the client's wire form. */
  expected?: ExpectedRevision;
}

/**
 * The only place that knows the client's error classes: each becomes the port's typed error. Anything else
 * (unavailable, deadline, access denied) is a transport failure and passes through unchanged.
 */
export function translateEsdbError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof EsdbWrongExpectedVersionError) {
    const expected = context.expected ?? error.expectedVersion;
    return new WrongExpectedVersionError(context.streamId, String(expected), error.actualVersion);
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(context.streamId);
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(context.streamId);
  if (error instanceof EsdbMaxAppendSizeExceededError) {
    return new InvalidEventError(`append to ${context.streamId}: the batch exceeds the server's maximum append size (${error.maxAppendSize} bytes)`);
  }
  if (error instanceof EsdbInvalidArgumentError) return new InvalidEventError(`${context.streamId}: ${error.message}`);
  return error;
}

/** One line for a log entry, whatever was thrown. */
export function describeEsdbError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
