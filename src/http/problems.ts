import { isOutage } from '../availability.js';
import type { Context, Next } from 'koa';
import { ConcurrencyError, DomainError, IllegalStateError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Logger } from '../logging.js';

/** An HTTP-level refusal (auth, body, routing) carried to the error mapper. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Extension member: the stable error code clients may switch on. */
  code: string;
  field?: string;
}

const problemType = (code: string) => `urn:bbb-ledger:problem:${code.toLowerCase().replaceAll('_', '-')}`;

function domainStatus(error: DomainError): { status: number; title: string } {
  if (error instanceof ValidationError) return { status: 400, title: 'Invalid request' };
  if (error instanceof NotFoundError) return { status: 404, title: 'Not found' };
  if (error instanceof IllegalStateError) return { status: 409, title: 'Conflict with current state' };
  if (error instanceof ConcurrencyError) return { status: 409, title: 'Concurrent modification' };
  return { status: 400, title: 'Rejected' };
}

export function toProblem(error: unknown): ProblemDetails & { headers: Record<string, string> } {
  if (error instanceof HttpProblem) {
    const { status, code, title, message, headers } = error;
    return { type: problemType(code), title, status, detail: message, code, headers };
  }
  if (error instanceof DomainError) {
    const { status, title } = domainStatus(error);
    const field = error instanceof ValidationError && error.field ? { field: error.field } : {};
    return { type: problemType(error.code), title, status, detail: error.message, code: error.code, ...field, headers: {} };
  }
  if (isOutage(error)) {
    const detail = 'A store this request needs (event store or Redis) is unavailable; nothing was changed. Try again in a few seconds.';
    return { type: problemType('STORE_UNAVAILABLE'), title: 'Store unavailable', status: 503, detail, code: 'STORE_UNAVAILABLE', headers: { 'Retry-After': '5' } };
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    // Koa's and the router's own errors (405, 501, …) carry a status and a message meant for the client.
    const detail = error instanceof Error ? error.message : 'refused';
    return { type: problemType(`HTTP_${status}`), title: detail, status, detail, code: `HTTP_${status}`, headers: {} };
  }
  return { type: problemType('INTERNAL'), title: 'Internal error', status: 500, detail: 'The server failed; the error is logged.', code: 'INTERNAL', headers: {} };
}

/** Registered first: every failure below becomes `application/problem+json`, never a stack trace. */
export function problemDetails(logger: Logger) {
  return async function problemDetailsMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpProblem(404, 'ROUTE_NOT_FOUND', 'Not found', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const { headers, ...problem } = toProblem(error);
      const log = { err: error, method: ctx.method, path: ctx.path, requestId: ctx.state.requestId };
      // A store outage is logged once by its monitor, not once per request.
      if (problem.status >= 500 && problem.code !== 'STORE_UNAVAILABLE') logger.error(log, 'request failed');
      else logger.debug(log, `request refused: ${problem.code}`);
      ctx.status = problem.status;
      ctx.set(headers);
      ctx.body = problem;
      ctx.type = 'application/problem+json';
    }
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status } = error as { status?: unknown };
  if (typeof status !== 'number') return undefined;
  return (status >= 400 && status < 500) || status === 501 ? status : undefined;
}
