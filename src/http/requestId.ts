import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const GIVEN_ID = /^[\w.:-]{1,128}$/;

/** The client's `X-Request-Id` when it is a plausible id, else a fresh one: echoed back and used as correlation id. */
export function requestIdOf(given: string | undefined): string {
  return given !== undefined && GIVEN_ID.test(given) ? given : randomUUID();
}

export async function requestId(ctx: Context, next: Next): Promise<void> {
  ctx.state.requestId = requestIdOf(ctx.get('X-Request-Id'));
  ctx.set('X-Request-Id', String(ctx.state.requestId));
  await next();
}
