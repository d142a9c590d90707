import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { Context, Next } from 'koa';
import { renderFormatName } from '../../domain/recording/renderFormat.js';
import { protectionOf } from '../../domain/recording/visibility.js';
import type { RecordingReadModel, RecordingView } from '../../projections/recordingList.js';
import { contentTypeOf, STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import { HttpProblem } from '../problems.js';
import { parseRange } from './byteRange.js';
import type { RecordingLinks } from './recordingLinks.js';

export interface PlaybackDeps {
  list: RecordingReadModel;
  storage: ObjectStorage;
  /** `PLAYBACK_PLAYER_DIR`: bbb-playback's static build; undefined = the presentation player is not served here. */
  playerDir: string | undefined;
  /** Lifetime of the presigned URLs S3 playback redirects to. */
  signedUrlSeconds: number;
  links: RecordingLinks;
  /** The tenant's recordings are protected by default (a recording's own `protect` wins): every file needs a valid token or playback session. */
  isProtected(tenant: string): boolean;
}

const RECORD_ID = '[0-9a-f]{40}-\\d{13}';
const PLAYER = new RegExp(`^/playback/presentation/2\\.3/(${RECORD_ID})(?:/.*)?$`);
const PLAYER_ASSET = /^\/playback\/presentation\/2\.3\/(.+)$/;
const FILE = new RegExp(`^/([A-Za-z0-9_-]{1,64})/(${RECORD_ID})(?:/(.*))?$`);
const SIGNED_LINK = new RegExp(`^/recording/(${RECORD_ID})/([A-Za-z0-9_-]{1,64})$`);

/**
 * Recording playback on our host, as a BBB server serves it: the presentation player at
 * `/playback/presentation/2.3/<id>`, and every stored file at `/<format>/<id>/<path>` (ranges; S3 objects by a
 * redirect to a presigned URL). Unpublished or deleted recordings are 404; a protected tenant's files need a
 * signed link or the playback session one opened (403 otherwise). Other paths pass on.
 */
export function playback(deps: PlaybackDeps) {
  return async function playbackMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const legacy = ctx.path === '/playback/presentation/2.0/playback.html' ? ctx.query.meetingId : undefined;
    if (typeof legacy === 'string') return redirect(ctx, 301, `/playback/presentation/2.3/${encodeURIComponent(legacy)}`);
    const video = /^\/playback\/video\/(.*)$/.exec(ctx.path);
    if (video) return redirect(ctx, 307, `/video/${video[1]}`);
    const player = PLAYER.exec(ctx.path);
    if (player) {
      published(deps, player[1]!, 'presentation');
      return servePlayerFile(ctx, deps, 'index.html');
    }
    const link = SIGNED_LINK.exec(ctx.path);
    if (link) return openSignedLink(ctx, deps, link[1]!, link[2]!);
    const asset = PLAYER_ASSET.exec(ctx.path);
    if (asset) return servePlayerFile(ctx, deps, asset[1]!);
    const file = FILE.exec(ctx.path);
    if (!file) return next();
    const [, format, recordId, rest] = file;
    const recording = deps.list.get(recordId!);
    // Paths like /admin/… never match a record id; a miss here is a 404 of a recording, not of a route.
    const view = published(deps, recordId!, format!, recording);
    let path: string;
    try {
      path = decodeURIComponent(rest ?? '');
    } catch {
      throw notFound();
    }
    if (path === '' || path.endsWith('/')) path += 'index.html';
    if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) throw notFound();
    if (protectionOf(view, deps.isProtected(view.tenant))) allowed(ctx, deps, view, format!, path);
    await serveObject(ctx, deps, STORAGE_KEYS.formatFile(view.tenant, view.recordId, format!, path));
  };
}

/** The recording if it is published and has `format` (a node format or a rendered profile's); else 404. */
function published(deps: PlaybackDeps, recordId: string, format: string, recording = deps.list.get(recordId)): RecordingView {
  if (!recording || recording.state !== 'published') throw notFound();
  const has = recording.formats.some((f) => f.format === format) || recording.renders.some((r) => renderFormatName(r.profile) === format);
  if (!has) throw notFound();
  return recording;
}

/**
 * `/recording/<id>/<format>?token=…` (Scalelite's protected playback): a valid token, the first time only, opens a
 * playback session, a cookie scoped to `/<format>/<id>` the player's requests for the files carry, and leads to
 * the player (the format's own page, or a rendered MP4). A recording that is not protected goes there without one.
 */
async function openSignedLink(ctx: Context, deps: PlaybackDeps, recordId: string, format: string): Promise<void> {
  const recording = published(deps, recordId, format);
  const render = recording.renders.find((r) => renderFormatName(r.profile) === format);
  const target = render ? `/${format}/${recordId}/${render.file.path}` : (recording.formats.find((f) => f.format === format)?.playbackPath ?? `/${format}/${recordId}/`);
  if (protectionOf(recording, deps.isProtected(recording.tenant))) {
    const opened = await deps.links.consume(tokenOf(ctx), recordId, format).catch((error: unknown) => {
      throw new HttpProblem(503, 'LINK_CHECK_UNAVAILABLE', 'Service unavailable', `the link could not be checked now (${error instanceof Error ? error.message : String(error)}); try again`);
    });
    if (!opened) throw forbidden();
    const session = deps.links.token(recordId, format, deps.links.sessionSeconds);
    ctx.cookies.set(deps.links.cookieName(recordId, format), session, {
      path: `/${format}/${recordId}`,
      maxAge: deps.links.sessionSeconds * 1000,
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.protocol === 'https',
      overwrite: true,
    });
  }
  ctx.set('Cache-Control', 'no-store');
  redirect(ctx, 307, target);
}

/**
 * A protected recording's file: the playback session cookie for this format, or, for a preview image (which a
 * frontend shows without opening the player), a valid `token` in the query, spent or not.
 */
function allowed(ctx: Context, deps: PlaybackDeps, recording: RecordingView, format: string, path: string): void {
  const { recordId } = recording;
  if (deps.links.valid(ctx.cookies.get(deps.links.cookieName(recordId, format)), recordId, format)) return;
  const preview = recording.formats.find((f) => f.format === format)?.previews.some((p) => p.path === path) ?? false;
  if (preview && deps.links.valid(tokenOf(ctx), recordId, format)) return;
  throw forbidden();
}

const tokenOf = (ctx: Context): string | undefined => (typeof ctx.query.token === 'string' ? ctx.query.token : undefined);

async function serveObject(ctx: Context, deps: PlaybackDeps, key: string): Promise<void> {
  const signed = await deps.storage.signedUrl(key, deps.signedUrlSeconds);
  if (signed !== undefined) {
    if ((await deps.storage.size(key)) === undefined) throw notFound();
    return redirect(ctx, 302, signed);
  }
  const size = await deps.storage.size(key);
  if (size === undefined) throw notFound();
  const range = parseRange(ctx.get('Range') || undefined, size);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, max-age=300');
  if (range === 'unsatisfiable') {
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.status = 416;
    ctx.body = '';
    return;
  }
  const object = ctx.method === 'HEAD' ? undefined : await deps.storage.get(key, range);
  ctx.type = contentTypeOf(key);
  if (range) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  } else {
    ctx.status = 200;
  }
  ctx.length = range ? range.end - range.start + 1 : size;
  if (object) ctx.body = object.body;
}

async function servePlayerFile(ctx: Context, deps: PlaybackDeps, relative: string): Promise<void> {
  if (!deps.playerDir) throw new HttpProblem(404, 'PLAYER_NOT_INSTALLED', 'Not found', 'the presentation player is not installed here: set PLAYBACK_PLAYER_DIR to bbb-playback’s build (README, Recordings)');
  const root = normalize(deps.playerDir);
  let path = normalize(join(root, ...relative.split('/')));
  if (!path.startsWith(root + sep) && path !== root) throw notFound();
  // bbb-playback is a single-page app: its routes are answered with index.html.
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) path = join(root, 'index.html');
  const index = await stat(path).catch(() => undefined);
  if (!index?.isFile()) throw notFound();
  ctx.type = contentTypeOf(path);
  ctx.length = index.size;
  ctx.status = 200;
  if (ctx.method === 'GET') ctx.body = createReadStream(path);
}

function redirect(ctx: Context, status: number, location: string): void {
  ctx.status = status;
  ctx.set('Location', location);
  ctx.body = '';
}

const forbidden = () =>
  new HttpProblem(403, 'RECORDING_LINK_REQUIRED', 'Forbidden', 'this recording’s links are signed, open once and expire: get a fresh link from getRecordings and open it');
const notFound = () => new HttpProblem(404, 'RECORDING_NOT_FOUND', 'Not found', 'no published recording here');
