import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { CommandContext } from '../commands/decider/handleCommand.js';
import { handleTenantCommandHoldingSecrets } from '../commands/decider/secretReservationCommands.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { TenantCommand } from '../domain/tenant/commands.js';
import { SecretHeldError } from '../domain/tenant/secretReservation.js';
import type { TenantState } from '../domain/tenant/state.js';
import { secretIdOf } from '../domain/tenant/validation.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import type { ProjectionRunner } from '../projections/runner.js';
import type { TenantDirectory, TenantSummary } from '../projections/tenantDirectory.js';
import type { AdminPrincipal } from './adminAuth.js';
import { readJsonBody } from './jsonBody.js';
import { HttpProblem } from './problems.js';
import { generateTenantSecret } from './tenantSecretGenerator.js';

/** What the tenants router needs; mounted after `requireAdmin`, which sets `ctx.state.admin`. */
export interface AdminTenantsDeps {
  logger: Logger;
  store: EventStore;
  tenantDirectory: Pick<TenantDirectory, 'list' | 'get'>;
  tenantDirectoryRunner: Pick<ProjectionRunner, 'waitFor'>;
  now(): Date;
  newId(): string;
  readYourWritesTimeoutMs: number;
  /** A fresh secret when the operator sends none; default 42 random alphanumerics. */
  newSecret?(): string;
}

/** `/admin/api/v1/tenants`: translate HTTP to a tenant command or a directory query, nothing more. */
export function adminTenantsRouter(deps: AdminTenantsDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1/tenants' });
  const newSecret = deps.newSecret ?? (() => generateTenantSecret());

  router.get('/', async (ctx) => {
    ctx.body = { tenants: deps.tenantDirectory.list() };
  });

  router.get('/:name', async (ctx) => {
    ctx.body = findTenant(deps, ctx.params.name ?? '');
  });

  router.post('/', async (ctx) => {
    const body = fields(await readJsonBody(ctx), ['name', 'secrets'], '{"name":"acme","secrets":["…"]}');
    if (typeof body.name !== 'string') throw new ValidationError('name is required and must be a string', 'name');
    const given = body.secrets === undefined ? [] : body.secrets;
    if (!Array.isArray(given) || !given.every((s): s is string => typeof s === 'string')) {
      throw new ValidationError('secrets must be an array of strings', 'secrets');
    }
    refuseSecretsOfOthers(deps, body.name, given);
    const secrets = given.length > 0 ? given : [newSecret()];
    const generated = given.length > 0 ? undefined : { secretId: secretIdOf(secrets[0]!), subId: 0, secret: secrets[0]! };
    const tenant = body.name;
    const summary = await run(ctx, deps, { type: 'RegisterTenant', data: { tenant, secrets } });
    ctx.status = 201;
    ctx.set('Location', `/admin/api/v1/tenants/${encodeURIComponent(tenant)}`);
    answer(ctx, generated ? { ...summary, generatedSecret: generated } : summary, generated !== undefined);
  });

  router.post('/:name/secrets', async (ctx) => {
    const body = fields(await readJsonBody(ctx), ['secret', 'subId'], '{"secret":"…","subId":0}');
    if (body.secret !== undefined && typeof body.secret !== 'string') throw new ValidationError('secret must be a string', 'secret');
    if (body.subId !== undefined && typeof body.subId !== 'number') throw new ValidationError('subId must be a number', 'subId');
    const tenant = ctx.params.name ?? '';
    const secret = body.secret ?? newSecret();
    const subId = body.subId ?? 0;
    refuseSecretsOfOthers(deps, tenant, [secret]);
    await run(ctx, deps, { type: 'AddTenantSecret', data: { tenant, secret, subId } });
    const added = { tenant, secretId: secretIdOf(secret), subId };
    ctx.status = 201;
    const isGenerated = body.secret === undefined;
    // A generated secret is shown in this one answer and never again.
    answer(ctx, isGenerated ? { ...added, secret } : added, isGenerated);
  });

  // The whole set each time: `{"tags":[]}` lets the tenant use every node again.
  router.put('/:name/tags', async (ctx) => {
    const body = fields(await readJsonBody(ctx), ['tags'], '{"tags":["eu","large"]}');
    const { tags } = body;
    if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === 'string')) {
      throw new ValidationError('tags is required and must be an array of strings', 'tags');
    }
    ctx.body = await run(ctx, deps, { type: 'RequireTenantTags', data: { tenant: ctx.params.name ?? '', tags } });
  });

  // Limits and parameter rules: the whole set each time, for the tenant (sub 0) or one sub; decide validates.
  router.put('/:name/limits', async (ctx) => {
    ctx.body = await run(ctx, deps, { type: 'SetTenantLimits', data: { tenant: ctx.params.name ?? '', subId: 0, limits: await readJsonBody(ctx) } });
  });
  router.put('/:name/subs/:subId/limits', async (ctx) => {
    const subId = subIdParam(ctx.params.subId);
    ctx.body = await run(ctx, deps, { type: 'SetTenantLimits', data: { tenant: ctx.params.name ?? '', subId, limits: await readJsonBody(ctx) } });
  });
  router.put('/:name/parameters', async (ctx) => {
    ctx.body = await run(ctx, deps, { type: 'SetTenantParameters', data: { tenant: ctx.params.name ?? '', subId: 0, rules: await readJsonBody(ctx) } });
  });
  router.put('/:name/subs/:subId/parameters', async (ctx) => {
    const subId = subIdParam(ctx.params.subId);
    ctx.body = await run(ctx, deps, { type: 'SetTenantParameters', data: { tenant: ctx.params.name ?? '', subId, rules: await readJsonBody(ctx) } });
  });

  // Retention and protected links: a field left out keeps its value; decide validates.
  router.put('/:name/recordings', async (ctx) => {
    ctx.body = await run(ctx, deps, { type: 'SetTenantRecordingPolicy', data: { tenant: ctx.params.name ?? '', policy: await readJsonBody(ctx) } });
  });

  router.delete('/:name/secrets/:secretId', async (ctx) => {
    const tenant = ctx.params.name ?? '';
    ctx.body = await run(ctx, deps, { type: 'RevokeTenantSecret', data: { tenant, secretId: ctx.params.secretId ?? '' } });
  });

  return router;
}

const secretHeld = () => new HttpProblem(409, 'SECRET_HELD_BY_ANOTHER_TENANT', 'Secret in use', 'another tenant holds this secret; generate a new one (omit "secret") or choose another');

/**
 * One secret belongs to one tenant: a request signed with it must mean one tenant to whoever reads the log,
 * and a leaked secret must be revocable without cutting off a second tenant. This instance's directory
 * answers at once (and covers secrets added before reservations existed); the reservation in the log
 * (handleTenantCommandHoldingSecrets) decides between instances adding one secret at the same moment.
 */
function refuseSecretsOfOthers(deps: AdminTenantsDeps, tenant: string, secrets: readonly string[]): void {
  const wanted = new Set(secrets.map(secretIdOf));
  if (wanted.size === 0) return;
  for (const other of deps.tenantDirectory.list()) {
    if (other.name === tenant) continue;
    if (other.secrets.some((s) => wanted.has(s.secretId))) throw secretHeld();
  }
}

function findTenant(deps: AdminTenantsDeps, name: string): TenantSummary {
  const tenant = deps.tenantDirectory.get(name);
  if (!tenant) throw new NotFoundError(`tenant ${name} is not registered`);
  return tenant;
}

/** Runs the command, then answers from the directory once it has caught up, so a following GET agrees. */
export async function runTenantCommand(ctx: Context, deps: AdminTenantsDeps, command: TenantCommand): Promise<TenantSummary> {
  return run(ctx, deps, command);
}

async function run(ctx: Context, deps: AdminTenantsDeps, command: TenantCommand): Promise<TenantSummary> {
  const result = await handleTenantCommandHoldingSecrets(deps.store, command, commandContext(ctx, deps)).catch((error: unknown) => {
    throw error instanceof SecretHeldError ? secretHeld() : error;
  });
  if (result.position) {
    try {
      await deps.tenantDirectoryRunner.waitFor(result.position, { timeoutMs: deps.readYourWritesTimeoutMs });
    } catch (error) {
      // The write is stored; failing the request would invite a retry that adds a second generated secret.
      deps.logger.warn({ err: error, tenant: command.data.tenant }, 'tenant directory lags behind an admin write');
      return fromState(result.state, deps.now());
    }
  }
  return deps.tenantDirectory.get(command.data.tenant) ?? fromState(result.state, deps.now());
}

function commandContext(ctx: Context, deps: AdminTenantsDeps): CommandContext {
  const admin = ctx.state.admin as AdminPrincipal | undefined;
  const requestId = typeof ctx.state.requestId === 'string' ? ctx.state.requestId : deps.newId();
  return { actor: `admin:${admin?.subject ?? 'unknown'}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: deps.newId() };
}

/** Only when the directory lags: `registeredAt` is then the time of this write, not of the registration. */
function fromState(state: TenantState, now: Date): TenantSummary {
  if (state.status !== 'registered') throw new Error('tenant is not registered after a successful command');
  const secrets = state.secrets.map(({ secretId, subId }) => ({ secretId, subId })).sort((a, b) => a.subId - b.subId || a.secretId.localeCompare(b.secretId));
  const subIds = [...new Set([...Object.keys(state.limits), ...Object.keys(state.parameters)].map(Number))].filter((id) => id !== 0).sort((a, b) => a - b);
  const policyOf = (subId: number) => ({ subId, limits: state.limits[subId] ?? null, parameters: state.parameters[subId] ?? [] });
  const own = policyOf(0);
  return { name: state.tenant, registeredAt: now.toISOString(), secrets, requiredTags: [...state.requiredTags], limits: own.limits, parameters: own.parameters, subs: subIds.map(policyOf), recordings: { ...state.recordings }, assets: { ...state.assets } };
}

/** A body carrying a secret must not be kept by caches or proxies. */
function answer(ctx: Context, body: object, carriesSecret: boolean): void {
  if (carriesSecret) ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

function subIdParam(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,3}$/.test(raw)) throw new ValidationError(`the sub-id in the path must be a number from 0 to 999, got "${raw ?? ''}"`, 'subId');
  return Number(raw);
}

function fields(body: unknown, allowed: string[], example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(`the body must be a JSON object: ${example}`);
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}`, unknown[0]);
  return record;
}
