import { Router } from '@koa/router';
import { handleRecordingCommand } from '../commands/decider/recordingCommands.js';
import { ValidationError } from '../domain/errors.js';
import { RENDER_PROFILE_NAMES } from '../render/renderProfiles.js';
import { readJsonBody } from './jsonBody.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import type { ImportStatus, RecordingReadModel } from '../projections/recordingList.js';
import type { RunnerHandle } from '../projections/runnerSet.js';
import type { AdminPrincipal } from './adminAuth.js';
import { HttpProblem } from './problems.js';

export interface AdminRecordingsDeps {
  logger: Logger;
  store: EventStore;
  list: RecordingReadModel;
  runner: RunnerHandle;
  now(): Date;
  newId(): string;
  readYourWritesTimeoutMs: number;
  /** `RENDER_PROFILES`: what a re-render without `profiles` renders; empty = rendering is off. */
  renderProfiles: readonly string[];
}

const IMPORT_STATES: readonly ImportStatus['state'][] = ['pending', 'imported', 'failed'];
const MAX_PAGE = 1000;

/** `/admin/api/v1`: a tenant's recordings, imports and their quarantine, re-render and delete. */
export function adminRecordingsRouter(deps: AdminRecordingsDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1' });

  router.get('/tenants/:name/recordings', async (ctx) => {
    const offset = whole(ctx.query.offset, 'offset', 0);
    const limit = Math.min(MAX_PAGE, whole(ctx.query.limit, 'limit', 100));
    const page = deps.list.find({ viewer: { tenant: ctx.params.name!, scope: null }, recordIds: undefined, meetingIDs: undefined, states: 'any', meta: [], page: { offset, limit } });
    ctx.body = { total: page.total, offset, limit, recordings: page.recordings };
  });

  router.get('/recordings/imports', async (ctx) => {
    const state = ctx.query.state;
    if (state !== undefined && !IMPORT_STATES.includes(state as ImportStatus['state'])) throw new ValidationError(`state must be one of ${IMPORT_STATES.join(', ')}`, 'state');
    ctx.body = { imports: deps.list.imports(state === undefined ? {} : { state: state as ImportStatus['state'] }) };
  });

  /** The quarantine: failed imports whose upload is kept for an operator (purged after RECORDINGS_QUARANTINE_DAYS). */
  router.get('/recordings/quarantine', async (ctx) => {
    ctx.body = { imports: deps.list.imports({ state: 'failed' }).filter((i) => i.quarantineKey !== null) };
  });

  router.get('/recordings/imports/:importId', async (ctx) => {
    const status = deps.list.importOf(ctx.params.importId!);
    if (!status) throw new HttpProblem(404, 'IMPORT_NOT_FOUND', 'Not found', `no import ${ctx.params.importId}`);
    ctx.body = status;
  });

  router.get('/recordings/:recordId', async (ctx) => {
    const recording = deps.list.get(ctx.params.recordId!);
    if (!recording) throw new HttpProblem(404, 'RECORDING_NOT_FOUND', 'Not found', `no recording ${ctx.params.recordId}`);
    ctx.body = recording;
  });

  /** Re-render: one RecordingRenderRequested per profile (default RENDER_PROFILES), picked up by the render process. */
  router.post('/recordings/:recordId/render', async (ctx) => {
    const recording = deps.list.get(ctx.params.recordId!);
    if (!recording) throw new HttpProblem(404, 'RECORDING_NOT_FOUND', 'Not found', `no recording ${ctx.params.recordId}`);
    const hasBody = Boolean(ctx.request.length) || ctx.get('Transfer-Encoding') !== '';
    const profiles = profilesOf(hasBody ? await readJsonBody(ctx) : {}, deps.renderProfiles);
    const admin = ctx.state.admin as AdminPrincipal;
    const requestId = String(ctx.state.requestId ?? deps.newId());
    const context = { actor: `admin:${admin.subject}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: deps.newId() };
    const result = await handleRecordingCommand(deps.store, { type: 'RequestRerender', data: { recordId: recording.recordId, profiles } }, context);
    const requested = result.events.flatMap((e) => (e.type === 'RecordingRenderRequested' ? [e.data.profile] : []));
    ctx.status = 202;
    ctx.body = { recordId: recording.recordId, requested, underway: profiles.filter((p) => !requested.includes(p)) };
  });

  router.delete('/recordings/:recordId', async (ctx) => {
    const recording = deps.list.get(ctx.params.recordId!);
    if (!recording) throw new HttpProblem(404, 'RECORDING_NOT_FOUND', 'Not found', `no recording ${ctx.params.recordId}`);
    const admin = ctx.state.admin as AdminPrincipal;
    const requestId = String(ctx.state.requestId ?? deps.newId());
    const context = { actor: `admin:${admin.subject}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: deps.newId() };
    const viewer = { tenant: recording.tenant, scope: null };
    const result = await handleRecordingCommand(deps.store, { type: 'DeleteRecording', data: { recordId: recording.recordId, viewer, reason: 'admin' } }, context);
    if (result.position) await deps.runner.waitFor(result.position, { timeoutMs: deps.readYourWritesTimeoutMs }).catch(() => undefined);
    // The object deletion process removes its objects (RecordingObjectsDeleted says when): 202, not done yet.
    ctx.status = 202;
    ctx.body = { recordId: recording.recordId, state: 'deleted' };
  });

  return router;
}

/** `{"profiles": ["video", …]}`, each a known profile; absent: RENDER_PROFILES, which must not be `none`. */
function profilesOf(body: unknown, configured: readonly string[]): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('the body must be a JSON object: {"profiles": ["video"]} (or empty for RENDER_PROFILES)');
  const { profiles, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}; allowed is profiles`, unknown[0]);
  if (profiles === undefined) {
    if (configured.length === 0) throw new HttpProblem(409, 'RENDERING_OFF', 'Rendering is off', 'RENDER_PROFILES is none: name the profiles to render, e.g. {"profiles": ["video"]}, or set RENDER_PROFILES');
    return [...configured];
  }
  const known: readonly string[] = RENDER_PROFILE_NAMES;
  if (!Array.isArray(profiles) || profiles.length === 0 || !profiles.every((p): p is string => typeof p === 'string' && known.includes(p))) {
    throw new ValidationError(`profiles must be a non-empty list of ${RENDER_PROFILE_NAMES.join(', ')}`, 'profiles');
  }
  return profiles;
}

function whole(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) throw new ValidationError(`${name} must be a whole number`, name);
  return Number(value);
}
