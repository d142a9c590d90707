import { readdir, readFile } from 'node:fs/promises';
import type { Context, Next } from 'koa';
import { projectRoot } from '../projectRoot.js';

/** The project root (README.md, docs/). */
const ROOT = projectRoot(import.meta.url);

/**
 * `GET /`: what this server is and where to go next, for someone who just started it and opened the port.
 * Links only; nothing here reads a store or needs a token.
 */
export function serverIndex(version: string) {
  const body = {
    name: 'bbb-ledger',
    description: 'Event-sourced, multi-tenant load balancer for BigBlueButton',
    version,
    links: {
      health: '/health',
      ping: '/ping',
      adminApi: '/admin/api/v1/',
      bbbApi: '/t/{tenant}/bigbluebutton/api/',
      docs: '/docs',
    },
    hints: {
      adminApi: 'send Authorization: Bearer <admin JWT>; npm start prints one when ADMIN_JWT_SECRET is not set, `npm run ledger -- admin-token` mints one when it is',
      bbbApi: 'register a tenant with POST /admin/api/v1/tenants; its BBB API is /t/<tenant>/bigbluebutton/api/ with the secret it answers',
    },
  };
  return async function serverIndexMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/') {
      ctx.body = body;
      return;
    }
    if (ctx.path !== '/docs' && !ctx.path.startsWith('/docs/')) return next();
    const doc = await readDoc(ctx.path);
    if (doc === undefined) return next();
    ctx.type = 'text/markdown; charset=utf-8';
    ctx.body = doc;
  };
}

/** `/docs` is README.md, `/docs/<name>.md` one of docs/*.md: only names listed there, never a path. */
async function readDoc(path: string): Promise<string | undefined> {
  if (path === '/docs' || path === '/docs/') return readFile(new URL('README.md', ROOT), 'utf8').catch(() => undefined);
  const name = path.slice('/docs/'.length);
  const listed = await readdir(new URL('docs/', ROOT)).catch(() => [] as string[]);
  if (!listed.includes(name) || !name.endsWith('.md')) return undefined;
  return readFile(new URL(`docs/${name}`, ROOT), 'utf8');
}
