import type { IncomingMessage } from 'node:http';

/**
 * The client closed the connection before the request was read or answered (a browser tab closed, a
 * frontend's timeout): nothing to answer and nothing wrong with the server, so it is no error to log.
 */
export function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : '';
  // Only what reading a closed connection throws: a refusal of ours (a body too large) also leaves the request unread.
  return (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'aborted') && !req.complete;
}

export const CLIENT_WENT_AWAY = 'client closed the connection before the answer; nothing sent';
