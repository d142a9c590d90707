import type { Context, Next } from 'koa';
import type { EventStore } from '../eventstore/port.js';

/** How long the event store may take to answer a ping before the instance counts as down. */
const PING_TIMEOUT_MS = 2000;

/**
 * `GET /ping`, public, like B3LB's `/b3lb/ping`: 200 when the event store answers a one-event read in time,
 * 503 otherwise. For load balancers in front of us: cheap, and says nothing about read models (see /health).
 */
export function ping(store: EventStore) {
  return async function pingMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/ping' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const answered = await storeAnswers(store);
    ctx.status = answered ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: answered ? 'ok' : 'unavailable', eventStore: store.kind };
  };
}

async function storeAnswers(store: EventStore): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  const read = (async () => {
    for await (const _ of store.readAll({ direction: 'backwards', maxCount: 1 })) break;
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
