/** Typed event-store errors. Every adapter translates its driver's failures into these. */

export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: bigint | 'no_stream',
  ) {
    super(
      'WRONG_EXPECTED_VERSION',
      `append to ${streamId}: expected revision ${expected}, actual ${String(actual)}`,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly streamId: string) {
    super('STREAM_NOT_FOUND', `stream ${streamId} does not exist`);
  }
}

export class StreamDeletedError extends EventStoreError {
  constructor(readonly streamId: string) {
    super('STREAM_DELETED', `stream ${streamId} was tombstoned and can never be written again`);
  }
}

/** An append whose event ids were partly written before: neither a clean retry nor new events. */
export class IdempotencyConflictError extends EventStoreError {
  constructor(readonly streamId: string) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `append to ${streamId}: some but not all of these event ids are already stored; send either the same batch or new ids`,
    );
  }
}

/** Malformed input to the store (bad event shape, unknown option): a programming error, not a conflict. */
export class InvalidEventError extends EventStoreError {
  constructor(message: string) {
    super('INVALID_EVENT', message);
  }
}

/**
 * The store did not answer within its deadline, refused the connection or lost it: nothing was decided, and
 * an append may or may not have been stored (a retry with the same event ids is safe). Callers answer
 * "try again" and never acknowledge; the store's availability says when it is back.
 */
export class StoreUnavailableError extends EventStoreError {
  constructor(store: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('STORE_UNAVAILABLE', `the ${store} event store is unavailable: ${reason}`);
    this.cause = cause;
  }
}
