import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Context } from 'koa';

/**
 * The origin every URL bbb-ledger hands out is built on: `PUBLIC_URL`, else the request's own protocol and
 * Host. Not Koa's `ctx.origin`, which is the `Origin` header.
 */
export function originOf(ctx: Pick<Context, 'protocol' | 'host'>, publicUrl: string | undefined): string {
  return publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}

/** The same for a request answered in front of Koa: Koa's `protocol` without `app.proxy` is the socket's. */
export function rawOriginOf(req: IncomingMessage, publicUrl: string | undefined): string {
  return publicUrl ?? `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}
