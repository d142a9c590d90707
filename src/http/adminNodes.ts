import { Router } from '@koa/router';
import type { Context } from 'koa';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from '../commands/handleCommand.js';
import { handleNodeCommand } from '../commands/nodeCommands.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { RegisterNode } from '../domain/node/commands.js';
import type { NodeState } from '../domain/node/state.js';
import type { Position } from '../eventstore/port.js';
import type { NodeListEntry } from '../projections/nodeList.js';
import type { AdminPrincipal } from './adminAuth.js';
import type { AppDeps } from './app.js';
import { readJsonBody } from './jsonBody.js';

const IDEMPOTENCY_NAMESPACE = '0b6a3c4e-8f7d-4a51-9a3e-6f2d1c0b9e84';

/** `/admin/api/v1/nodes`: translate HTTP to a node command or a read-model query, nothing more. */
export function adminNodesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1/nodes' });

  router.get('/', async (ctx) => {
    ctx.body = { nodes: await deps.nodeList.list() };
  });

  router.get('/:id', async (ctx) => {
    const node = await deps.nodeList.get(ctx.params.id ?? '');
    if (!node) throw new NotFoundError(`node ${ctx.params.id} is not registered`);
    ctx.body = node;
  });

  router.post('/', async (ctx) => {
    const body = parseRegistration(await readJsonBody(ctx));
    // A client-chosen Idempotency-Key makes a retried POST hit the same node stream with the same event ids.
    const key = ctx.get('Idempotency-Key');
    const nodeId = key ? uuidv5(`node:${key}`, IDEMPOTENCY_NAMESPACE) : deps.newId();
    const commandId = key ? uuidv5(`command:${key}`, IDEMPOTENCY_NAMESPACE) : deps.newId();
    const command: RegisterNode = { type: 'RegisterNode', data: { nodeId, ...body } };
    const result = await handleNodeCommand(deps.store, command, commandContext(ctx, deps, commandId));
    const entry = await readYourWrite(deps, nodeId, result.position);
    ctx.status = 201;
    ctx.set('Location', `/admin/api/v1/nodes/${encodeURIComponent(nodeId)}`);
    ctx.body = entry ?? fromState(nodeId, result.state, deps.now());
  });

  return router;
}

function commandContext(ctx: Context, deps: AppDeps, commandId: string): CommandContext {
  const admin = ctx.state.admin as AdminPrincipal;
  const requestId = String(ctx.state.requestId);
  return { actor: `admin:${admin.subject}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId };
}

/** Answers from the read model once it has caught up with the write, so a following GET agrees. */
async function readYourWrite(deps: AppDeps, nodeId: string, position: Position | undefined): Promise<NodeListEntry | undefined> {
  if (position) {
    try {
      await deps.nodeListRunner.waitFor(position, { timeoutMs: deps.readYourWritesTimeoutMs });
    } catch (error) {
      // The write is stored; failing the request would invite a retry that registers a second node.
      deps.logger.warn({ err: error, nodeId }, 'node list read model lags behind an admin write');
      return undefined;
    }
  }
  return deps.nodeList.get(nodeId);
}

function fromState(nodeId: string, state: NodeState, now: Date): NodeListEntry {
  if (state.status !== 'registered') throw new Error(`node ${nodeId} is not registered after RegisterNode`);
  const { url, tags, loadFactor, adminState } = state;
  return { id: nodeId, url, tags, loadFactor, adminState, registeredAt: now.toISOString() };
}

const REGISTRATION_FIELDS = new Set(['url', 'secret', 'tags', 'loadFactor']);

function parseRegistration(body: unknown): Omit<RegisterNode['data'], 'nodeId'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object: {"url","secret","tags":[],"loadFactor":1}');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !REGISTRATION_FIELDS.has(k));
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}`, unknown[0]);
  const { url, secret, tags = [], loadFactor = 1 } = fields;
  if (typeof url !== 'string') throw new ValidationError('url is required and must be a string', 'url');
  if (typeof secret !== 'string') throw new ValidationError('secret is required and must be a string', 'secret');
  if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === 'string')) {
    throw new ValidationError('tags must be an array of strings', 'tags');
  }
  if (typeof loadFactor !== 'number') throw new ValidationError('loadFactor must be a number', 'loadFactor');
  return { url, secret, tags, loadFactor };
}
