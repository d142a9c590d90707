import type { Context, Next } from 'koa';
import { resolveBbbRoute } from '../http/bbb/tenantResolution.js';
import type { FastPath } from '../http/bbb/fastPath.js';
import type { Logger } from '../logging.js';
import { outcomeLabel, type BbbObserver } from './bbbObserver.js';

const MESSAGE_KEY = /<messageKey>([^<]*)<\/messageKey>/;
const FAILED = '<returncode>FAILED</returncode>';

/** The outcome of a BBB answer Koa wrote: a FAILED answer's messageKey, an HTTP error, or success. */
export function koaOutcome(status: number, body: unknown): string {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.subarray(0, 2048).toString('utf8') : undefined;
  if (text !== undefined && text.includes(FAILED)) return outcomeLabel(MESSAGE_KEY.exec(text)?.[1] ?? 'other');
  return status >= 400 ? `failed:http${status}` : 'success';
}

/**
 * Koa middleware (first in the BBB chain): times every BBB API request Koa answers, refusals included, and
 * logs it at debug with its request id, which is the correlation id of the events it caused.
 */
export function bbbRequestMetrics(observer: BbbObserver, baseDomain: string | undefined, logger: Logger) {
  return async function bbbRequestMetricsMiddleware(ctx: Context, next: Next): Promise<void> {
    const route = resolveBbbRoute(ctx.host, ctx.path, baseDomain);
    if (!route) return next();
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const outcome = koaOutcome(ctx.status, ctx.body);
      observer.observe(route.call, outcome, seconds, route.address?.tenant);
      if (logger.isLevelEnabled('debug')) {
        const requestId = String(ctx.state.requestId);
        logger.debug({ requestId, correlationId: requestId, call: route.call, tenant: route.address?.tenant, outcome, ms: Math.round(seconds * 1e4) / 10 }, `BBB ${route.call} ${outcome}`);
      }
    }
  };
}

/** A fast path timed: only the requests it answers are observed (the others reach Koa and are timed there). */
export function timedFastPath(call: string, path: FastPath, observer: BbbObserver): FastPath {
  const record = observer.bound(call, 'success');
  return async function timedPath(req, res) {
    const started = performance.now();
    const answered = await path(req, res);
    if (answered) record((performance.now() - started) / 1000);
    return answered;
  };
}
