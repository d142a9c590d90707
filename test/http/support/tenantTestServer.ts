import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa, { type Context, type Next } from 'koa';
import { SignJWT } from 'jose';
import { XMLParser } from 'fast-xml-parser';
import { successResponse } from '../../../src/domain/bbb/responses.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../../src/logging.js';
import { startProjection } from '../../../src/projections/runner.js';
import { tenantDirectoryProjection } from '../../../src/projections/tenantDirectory.js';
import { InMemoryTenantDirectory } from '../../../src/projections/tenantDirectoryMemory.js';
import { requireAdmin } from '../../../src/http/adminAuth.js';
import { adminTenantsRouter } from '../../../src/http/adminTenants.js';
import { bbbFrontDoor, bbbRequestOf } from '../../../src/http/bbb/frontDoor.js';
import { replyXml } from '../../../src/http/bbb/bbbReply.js';
import { problemDetails } from '../../../src/http/problems.js';

export const BASE_DOMAIN = 'lb.example.com';
export const BODY_LIMIT = 4096;
const JWT_KEY = new TextEncoder().encode('test-admin-key-of-at-least-32-characters');

/**
 * Stand-in call handlers: `getMeetings`, `create` and `isMeetingRunning` echo what the front door put on
 * `ctx.state.bbb`; `end` answers nothing (the front door must then refuse); `join` throws (it must not leak).
 */
async function echoHandlers(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.bbb) return next();
  const request = bbbRequestOf(ctx);
  if (request.call === 'join') throw new Error('handler exploded at /secret/internal/path.ts:42');
  if (request.call === 'end') return;
  const { tenant, subId, scope, call, contentType } = request;
  const echo = { tenant, subId, scope, call, contentType: contentType ?? null, params: Object.fromEntries(request.params), rawBody: request.rawBody?.toString('utf8') ?? null };
  replyXml(ctx, successResponse({ echo: JSON.stringify(echo) }));
}

export interface TenantTestServer {
  base: string;
  port: number;
  directory: InMemoryTenantDirectory;
  /** An HS256 token with the admin scope, signed with the server's key. */
  adminToken: string;
  /** A JSON admin call with a valid admin token (or the given one). */
  admin(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startTenantTestServer(options: { readYourWritesTimeoutMs?: number } = {}): Promise<TenantTestServer> {
  const store = new MemoryEventStore();
  const directory = new InMemoryTenantDirectory();
  const controller = new AbortController();
  const runner = startProjection({ store, projection: tenantDirectoryProjection, target: directory.target, logger: silentLogger, signal: controller.signal });
  await runner.caughtUp;
  let ids = 0;
  const app = new Koa();
  app.silent = true;
  const adminAuth = requireAdmin(JWT_KEY);
  const tenants = adminTenantsRouter({
    logger: silentLogger,
    store,
    tenantDirectory: directory,
    tenantDirectoryRunner: runner,
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    newId: () => `id-${process.pid}-${++ids}`,
    readYourWritesTimeoutMs: options.readYourWritesTimeoutMs ?? 5000,
  });
  app.use(problemDetails(silentLogger));
  app.use(bbbFrontDoor({ tenantDirectory: directory, baseDomain: BASE_DOMAIN, logger: silentLogger, maxBodyBytes: BODY_LIMIT }));
  app.use(echoHandlers);
  app.use(async (ctx, next) => (ctx.path.startsWith('/admin/api/') ? adminAuth(ctx, next) : next()));
  app.use(tenants.routes());
  app.use(tenants.allowedMethods({ throw: true }));
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const adminToken = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('tester').setIssuedAt().setExpirationTime('1h').sign(JWT_KEY);
  return {
    base,
    port,
    directory,
    adminToken,
    async admin(method, path, body, token = adminToken) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      controller.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.done.catch(() => {});
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** fetch may not set Host, so hostname-addressed requests go through node:http with the Host header given. */
export function requestWithHost(port: number, host: string, pathAndQuery: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers: { Host: host } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on('error', reject);
    request.end();
  });
}

const parser = new XMLParser({ parseTagValue: false });

export interface BbbXml {
  returncode: string;
  messageKey?: string;
  message?: string;
  version?: string;
  apiVersion?: string;
  bbbVersion?: string;
  echo?: string;
}

export function parseBbb(text: string): BbbXml {
  const parsed = parser.parse(text) as { response?: BbbXml };
  if (!parsed.response) throw new Error(`not a BBB response: ${text}`);
  return parsed.response;
}

export function echoOf(text: string): { tenant: string; subId: number; scope: string; call: string; contentType: string | null; params: Record<string, string>; rawBody: string | null } {
  const { echo } = parseBbb(text);
  if (!echo) throw new Error(`no echo in ${text}`);
  return JSON.parse(echo);
}
