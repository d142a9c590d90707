import type { Context } from 'koa';
import { handleRecordingCommand } from '../../commands/decider/recordingCommands.js';
import { recordingsResponse, recordingXml } from '../../domain/bbb/recordingsResponse.js';
import type { RecordingView } from '../../domain/recording/view.js';
import { protectionOf } from '../../domain/recording/visibility.js';
import { successResponse } from '../../domain/bbb/responses.js';
import { NotFoundError } from '../../domain/errors.js';
import type { RecordingCommand, Viewer } from '../../domain/recording/commands.js';
import type { Position } from '../../eventstore/port.js';
import type { RecordingReadModel } from '../../projections/recordingList.js';
import type { RunnerHandle } from '../../projections/runnerSet.js';
import type { RecordingLinks } from '../playback/recordingLinks.js';
import { replyError, replyXml } from './bbbReply.js';
import { MEETING_ERRORS } from './meetingAnswers.js';
import type { MeetingCall } from './meetingCalls.js';
import { booleanParam, commaList, metaParams, recordingQueryOf, RECORDING_ERRORS } from './recordingQuery.js';

export interface RecordingCallsDeps {
  list: RecordingReadModel;
  runner: RunnerHandle;
  /** `PUBLIC_URL`: the origin playback URLs point at; undefined = the request's own origin. */
  publicUrl: string | undefined;
  /** Signs the URLs of a protected tenant's recordings. */
  links: RecordingLinks;
  /** The tenant's recording policy says `protected` (the tenant directory, in process): the default a recording's own `protect` overrides. */
  isProtected(tenant: string): boolean;
}

type RecordingCallName = 'getRecordings' | 'publishRecordings' | 'deleteRecordings' | 'updateRecordings' | 'getRecordingTextTracks' | 'putRecordingTextTrack';

/** The BBB recording calls, tenant-scoped: another tenant's (or another sub-secret's) recording is `notFound`. */
export async function recordingCall(call: MeetingCall, name: RecordingCallName): Promise<void> {
  const { ctx, request } = call;
  const recordID = request.params.get('recordID');
  const hasRecordId = recordID !== undefined && recordID !== '';
  const viewer: Viewer = { tenant: request.tenant, scope: request.scope };
  switch (name) {
    case 'getRecordings': {
      const query = recordingQueryOf(request.params, viewer);
      const page = call.deps.recordings.list.find(query);
      const base = call.deps.recordings.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
      const { links, isProtected } = call.deps.recordings;
      const tenantDefault = isProtected(request.tenant);
      // A protected recording's URLs carry fresh tokens: rendered per request, never cached.
      const render = (b: string, r: RecordingView) => (protectionOf(r, tenantDefault) ? recordingXml(b, r, (format) => links.token(r.recordId, format)) : cachedRecordingXml(b, r));
      return replyXml(ctx, recordingsResponse(base, page.recordings, query.page && { ...query.page, total: page.total }, render));
    }
    case 'publishRecordings': {
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      const publish = request.params.get('publish');
      if (!publish) return replyError(ctx, MEETING_ERRORS.missingPublish);
      const done = await forEachRecording(call, viewer, (recordId) => ({ type: 'PublishRecording', data: { recordId, viewer, publish: publish === 'true' } }));
      if (!done) return replyError(ctx, MEETING_ERRORS.recordingsNotFound);
      return replyXml(ctx, successResponse({ published: publish }));
    }
    case 'deleteRecordings': {
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      const deleted = await forEachRecording(call, viewer, (recordId) => ({ type: 'DeleteRecording', data: { recordId, viewer, reason: 'api' } }));
      // Its objects go by the object deletion process, which follows RecordingDeleted (retried until they are gone).
      if (!deleted) return replyError(ctx, MEETING_ERRORS.recordingsNotFound);
      return replyXml(ctx, successResponse({ deleted: 'true' }));
    }
    case 'updateRecordings': {
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      const meta = metaParams(request.params);
      const set = Object.fromEntries(meta.filter(([, v]) => v !== ''));
      const removed = meta.filter(([, v]) => v === '').map(([k]) => k);
      const protect = booleanParam(request.params.get('protect'));
      if (protect === 'invalid') return replyError(ctx, RECORDING_ERRORS.invalidProtect);
      const done = await forEachRecording(call, viewer, (recordId) => ({ type: 'UpdateRecording', data: { recordId, viewer, set, removed, ...(protect === undefined ? {} : { protect }) } }));
      if (!done) return replyError(ctx, MEETING_ERRORS.recordingsNotFound);
      return replyXml(ctx, successResponse({ updated: 'true' }));
    }
    case 'getRecordingTextTracks':
      // bbb-web answers the missing parameter as XML (`invalid`), the rest as JSON.
      if (!hasRecordId) return replyError(ctx, MEETING_ERRORS.missingRecordId);
      return replyJson(ctx, { returncode: 'FAILED', messageKey: 'noRecordings', message: `No recording found for ${recordID}` });
    case 'putRecordingTextTrack':
      if (!hasRecordId) return replyJson(ctx, { returncode: 'FAILED', messageKey: 'paramError', message: 'Missing param recordID.' });
      return replyJson(ctx, { returncode: 'FAILED', messageKey: 'noRecordings', message: `No recording found for ${recordID}` });
    default: {
      const unknown: never = name;
      return unknown;
    }
  }
}

/**
 * Sends `commandOf` for every listed record id the viewer can see (exact ids, as bbb-web); undefined when it
 * sees none of them (BBB's `notFound`). Waits until the read model shows the writes (read your writes).
 */
async function forEachRecording(call: MeetingCall, viewer: Viewer, commandOf: (recordId: string) => RecordingCommand): Promise<Array<{ tenant: string; recordId: string }> | undefined> {
  const { list, runner } = call.deps.recordings;
  const ids = [...new Set(commaList(call.request.params.get('recordID')) ?? [])];
  const found = ids.map((id) => list.get(id)).filter((r) => r !== undefined && r.state !== 'deleted' && r.tenant === viewer.tenant);
  if (found.length === 0) return undefined;
  let last: Position | undefined;
  const done: Array<{ tenant: string; recordId: string }> = [];
  for (const recording of found) {
    try {
      const result = await handleRecordingCommand(call.deps.store, commandOf(recording!.recordId), call.commandContext());
      last = result.position ?? last;
      done.push({ tenant: recording!.tenant, recordId: recording!.recordId });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  if (done.length === 0) return undefined;
  if (last !== undefined) {
    await runner.waitFor(last, { timeoutMs: call.deps.readYourWritesTimeoutMs }).catch((error: unknown) => call.deps.logger.warn({ err: error }, 'recording read model lags behind a recording write'));
  }
  return done;
}

/**
 * A recording's `<recording>` element, rendered once per view and base: the read model replaces a view on
 * every change and never mutates one, so a cached element can never be stale.
 */
const rendered = new WeakMap<RecordingView, { base: string; xml: string }>();
function cachedRecordingXml(base: string, recording: RecordingView): string {
  const hit = rendered.get(recording);
  if (hit?.base === base) return hit.xml;
  const xml = recordingXml(base, recording);
  rendered.set(recording, { base, xml });
  return xml;
}

function replyJson(ctx: Context, response: Record<string, string>): void {
  ctx.status = 200;
  ctx.body = JSON.stringify({ response });
  ctx.set('Content-Type', 'application/json');
  ctx.set('Cache-Control', 'no-cache');
}
