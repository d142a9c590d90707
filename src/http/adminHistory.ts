import { Router } from '@koa/router';
import type { Context } from 'koa';
import { ValidationError } from '../domain/errors.js';
import { EventDecodeError } from '../domain/eventCatalogue.js';
import type { EventStore } from '../eventstore/port.js';
import { fleetAsOf } from '../history/fleetAsOf.js';
import { parsePastInstant } from '../history/instants.js';
import { explainPlacement } from '../history/placementWhy.js';
import { readStreamHistory } from '../history/streamHistory.js';
import { streamStateAsOf } from '../history/streamAsOf.js';
import { HttpProblem } from './problems.js';

export interface AdminHistoryDeps {
  store: EventStore;
  now(): Date;
}

const MAX_PAGE = 1000;

/**
 * Auditors' questions, answered from the log alone: a stream's events with actor, correlation and causation;
 * the state of an aggregate or of the whole fleet as of an instant; why a meeting went to its node.
 */
export function adminHistoryRouter(deps: AdminHistoryDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1' });

  router.get('/history/:streamId', async (ctx) => {
    const from = intParam(ctx, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(ctx, 'limit', 100, 1, MAX_PAGE);
    ctx.body = await readStreamHistory(deps.store, ctx.params.streamId ?? '', { from, limit });
  });

  router.get('/asof', async (ctx) => {
    const at = parsePastInstant(queryString(ctx, 'at'), 'at', deps.now());
    const stream = queryString(ctx, 'stream');
    if (!stream) throw new ValidationError('stream is required (node-…, tenant-…, meeting-…); for every node use /asof/fleet', 'stream');
    ctx.body = await folding(() => streamStateAsOf(deps.store, stream, at));
  });

  router.get('/asof/fleet', async (ctx) => {
    const at = parsePastInstant(queryString(ctx, 'at'), 'at', deps.now());
    ctx.body = await folding(() => fleetAsOf(deps.store, { at }));
  });

  router.get('/meetings/:scope/:meetingID/why', async (ctx) => {
    ctx.body = await folding(() => explainPlacement(deps.store, ctx.params.scope ?? '', ctx.params.meetingID ?? ''));
  });

  return router;
}

/** A stored event this code cannot read is the operator's problem to see, not a hidden 500. */
async function folding<T>(fold: () => Promise<T>): Promise<T> {
  try {
    return await fold();
  } catch (error) {
    if (!(error instanceof EventDecodeError)) throw error;
    throw new HttpProblem(500, error.code, 'The log holds an event this version cannot fold', error.message);
  }
}

function queryString(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw new ValidationError(`${name} is given more than once`, name);
  return value;
}

function intParam(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = queryString(ctx, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ValidationError(`${name} "${raw}" is not an integer from ${min} to ${max}`, name);
  return n;
}
