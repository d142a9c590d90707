import { Router } from '@koa/router';
import type { Context } from 'koa';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from '../commands/decider/handleCommand.js';
import { handleNodeCommand } from '../commands/decider/nodeCommands.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { AdminNodeCommand, ChangeNodeTags, NodeCommand, RegisterNode, SetNodeCapacity } from '../domain/node/commands.js';
import type { NodeState } from '../domain/node/state.js';
import type { Position } from '../eventstore/port.js';
import type { NodeListEntry } from '../projections/nodeList.js';
import type { AdminPrincipal } from './adminAuth.js';
import type { AppDeps } from './app.js';
import { readJsonBody } from './jsonBody.js';
import { HttpProblem } from './problems.js';
import { IDEMPOTENCY_NAMESPACE } from '../domain/ids.js';

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
    const caughtUp = await readModelsReach(deps, nodeId, result.position);
    const entry = caughtUp ? await deps.nodeList.get(nodeId) : undefined;
    ctx.status = 201;
    ctx.set('Location', `/admin/api/v1/nodes/${encodeURIComponent(nodeId)}`);
    ctx.body = entry ?? fromState(nodeId, result.state, deps.now());
  });

  for (const [action, type] of ADMIN_ACTIONS) {
    router.post(`/:id/${action}`, async (ctx) => {
      const nodeId = ctx.params.id ?? '';
      const command: AdminNodeCommand = { type, data: { nodeId } };
      ctx.body = await runInEffect(ctx, deps, command, action);
    });
  }

  // The whole set each time, so a retried PUT changes nothing; `{"tags":[]}` untags the node.
  router.put('/:id/tags', async (ctx) => {
    const command: ChangeNodeTags = { type: 'ChangeNodeTags', data: { nodeId: ctx.params.id ?? '', tags: parseTags(await readJsonBody(ctx)) } };
    ctx.body = await runInEffect(ctx, deps, command, 'tags');
  });

  // The node's capacity in load units (`{"maxLoad": null}` lifts it); decide validates the number.
  router.put('/:id', async (ctx) => {
    const body = await readJsonBody(ctx);
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!fields || !('maxLoad' in fields)) throw new ValidationError('the body must be a JSON object: {"maxLoad": 200} (load units; null = no cap)', 'maxLoad');
    const unknown = Object.keys(fields).filter((k) => k !== 'maxLoad');
    if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}; only maxLoad can be changed here`, unknown[0]);
    const command: SetNodeCapacity = { type: 'SetNodeCapacity', data: { nodeId: ctx.params.id ?? '', maxLoad: fields.maxLoad } };
    ctx.body = await runInEffect(ctx, deps, command, 'maxLoad');
  });

  return router;
}

/** Runs an operator's command and answers once placement's directory has it: the very next create must see it. */
async function runInEffect(ctx: Context, deps: AppDeps, command: NodeCommand, action: string): Promise<NodeListEntry> {
  const { nodeId } = command.data;
  const result = await handleNodeCommand(deps.store, command, commandContext(ctx, deps, deps.newId()));
  if (!(await readModelsReach(deps, nodeId, result.position))) {
    throw new HttpProblem(503, 'NOT_YET_IN_EFFECT', 'Stored, not yet in effect', `node ${nodeId}: ${action} is stored but not yet applied; repeating it is safe`);
  }
  const entry = await deps.nodeList.get(nodeId);
  if (!entry) throw new NotFoundError(`node ${nodeId} is not registered`);
  return entry;
}

function parseTags(body: unknown): string[] {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!fields) throw new ValidationError('the body must be a JSON object: {"tags":["eu","large"]}');
  const unknown = Object.keys(fields).filter((k) => k !== 'tags');
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}`, unknown[0]);
  const { tags } = fields;
  if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === 'string')) {
    throw new ValidationError('tags is required and must be an array of strings', 'tags');
  }
  return tags;
}

const ADMIN_ACTIONS: ReadonlyArray<readonly [string, AdminNodeCommand['type']]> = [
  ['enable', 'EnableNode'],
  ['cordon', 'CordonNode'],
  ['disable', 'DisableNode'],
  ['decommission', 'DecommissionNode'],
];

function commandContext(ctx: Context, deps: AppDeps, commandId: string): CommandContext {
  const admin = ctx.state.admin as AdminPrincipal;
  const requestId = String(ctx.state.requestId);
  return { actor: `admin:${admin.subject}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId };
}

/**
 * Read-your-writes: true once both the admin list (a following GET agrees) and placement's directory (the
 * next create sees it) reflect the write; false (logged) when they lag beyond the configured timeout.
 */
async function readModelsReach(deps: AppDeps, nodeId: string, position: Position | undefined): Promise<boolean> {
  if (!position) return true;
  const options = { timeoutMs: deps.readYourWritesTimeoutMs };
  try {
    await Promise.all([deps.nodeListRunner.waitFor(position, options), deps.nodeDirectoryRunner.waitFor(position, options)]);
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, nodeId }, 'node read models lag behind an admin write');
    return false;
  }
}

/** Answers a registration whose read model lags: the write is stored, and failing would invite a duplicate node. */
function fromState(nodeId: string, state: NodeState, now: Date): NodeListEntry {
  if (state.status !== 'registered') throw new Error(`node ${nodeId} is not registered after RegisterNode`);
  const { url, checksumAlgorithm, tags, loadFactor, adminState, health } = state;
  return { id: nodeId, url, checksumAlgorithm, tags, loadFactor, maxLoad: state.maxLoad, adminState, health, meetings: 0, participants: 0, registeredAt: now.toISOString() };
}

const REGISTRATION_FIELDS = new Set(['url', 'secret', 'checksumAlgorithm', 'tags', 'loadFactor']);

function parseRegistration(body: unknown): Omit<RegisterNode['data'], 'nodeId'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object: {"url","secret","tags":[],"loadFactor":1}');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !REGISTRATION_FIELDS.has(k));
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}`, unknown[0]);
  const { url, secret, checksumAlgorithm, tags = [], loadFactor = 1 } = fields;
  if (typeof url !== 'string') throw new ValidationError('url is required and must be a string', 'url');
  if (typeof secret !== 'string') throw new ValidationError('secret is required and must be a string', 'secret');
  if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === 'string')) {
    throw new ValidationError('tags must be an array of strings', 'tags');
  }
  if (typeof loadFactor !== 'number') throw new ValidationError('loadFactor must be a number', 'loadFactor');
  if (checksumAlgorithm !== undefined && typeof checksumAlgorithm !== 'string') {
    throw new ValidationError('checksumAlgorithm must be one of sha1, sha256, sha384, sha512', 'checksumAlgorithm');
  }
  return { url, secret, tags, loadFactor, ...(checksumAlgorithm === undefined ? {} : { checksumAlgorithm }) };
}
