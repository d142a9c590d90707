/**
 * The domain's error taxonomy. Each class has a stable `code` that callers (the HTTP error mapper, sagas,
 * logs) switch on; messages are for humans and may change.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command itself is malformed: no state would accept it. `field` names the offending input. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The command is well-formed but the aggregate's current state forbids it. */
export class IllegalStateError extends DomainError {
  readonly code = 'ILLEGAL_STATE';
}

/** The command addresses something that does not exist. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** Someone else kept changing the same aggregate; the command gave up after retrying. */
export class ConcurrencyError extends DomainError {
  readonly code = 'CONCURRENCY_CONFLICT';
}
