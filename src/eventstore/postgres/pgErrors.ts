import { InvalidEventError } from '../errors.js';

/** The fields of a server error that we branch on (pg's DatabaseError; PGlite's adapter produces the same). */
interface ServerError {
  code: string;
  constraint?: string;
  message: string;
}

export function isServerError(error: unknown): error is ServerError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return isServerError(error) && error.code === '23505' && error.constraint === constraint;
}

/** Server refusals caused by the event's content rather than by the store's state. */
const CONTENT_ERRORS = new Set([
  '22P05', // untranslatable_character: "\u0000" cannot live in jsonb or text
  '22021', // character_not_in_repertoire
  '22025', // invalid_escape_sequence
  '54000', // program_limit_exceeded: a jsonb value too large
]);

/**
 * The one place where the driver's failures become the port's errors. Anything unrecognised (lost
 * connection, missing schema) is passed through unchanged so its own message reaches the log.
 */
export function translatePgError(error: unknown, streamId: string): unknown {
  if (isServerError(error) && CONTENT_ERRORS.has(error.code)) {
    return new InvalidEventError(`append to ${streamId}: PostgreSQL refused the event content: ${error.message}`);
  }
  if (isServerError(error) && error.code === '23505' && error.constraint === 'es_events_pkey') {
    // The streams row serialises appends, so this means es_streams and es_events disagree.
    return new Error(
      `append to ${streamId}: revision already taken in es_events although es_streams allowed it; the tables ` +
        `were changed outside the event store (${error.message})`,
    );
  }
  return error;
}
