import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { SignJWT, type JWTPayload } from 'jose';
import type Koa from 'koa';

export const ADMIN_SECRET = 'test-admin-secret-that-is-long-enough-for-hs256';

/** A request listener as the product serves with (`composed.requestListener`). */
export type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Serves a Koa app (or a composed product's listener) on an ephemeral port for one test, closed at teardown. Returns the base URL. */
export async function serve(t: Test, app: Koa | Listener): Promise<string> {
  const server: Server = createServer(typeof app === 'function' ? app : app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An admin token valid for an hour (or until `expiresAt`, seconds; null: without `exp`). */
export function adminToken(claims: JWTPayload = { scope: 'admin' }, secret = ADMIN_SECRET, expiresAt: number | null = Math.floor(Date.now() / 1000) + 3600): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt();
  if (expiresAt !== null && claims.exp === undefined) jwt.setExpirationTime(expiresAt);
  return jwt.sign(new TextEncoder().encode(secret));
}

export async function call(base: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
