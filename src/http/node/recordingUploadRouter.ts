import Router from '@koa/router';
import type { Context } from 'koa';
import { stageUpload, TruncatedUploadError, UploadTooLargeError } from '../../commands/workflows/recordingUpload.js';
import type { EventStore } from '../../eventstore/port.js';
import type { Logger } from '../../logging.js';
import type { NodeDirectory } from '../../projections/nodeDirectory.js';
import type { RecordingReadModel } from '../../projections/recordingList.js';
import type { RunnerHandle } from '../../projections/runnerSet.js';
import { StorageUnavailableError, type ObjectStorage } from '../../storage/objectStorage.js';
import { HttpProblem } from '../problems.js';
import { authenticateNode } from './nodeAuth.js';

export interface NodeUploadDeps {
  store: EventStore;
  logger: Logger;
  nodeDirectory: Pick<NodeDirectory, 'nodesForPlacement'>;
  storage: ObjectStorage;
  list: RecordingReadModel;
  runner: RunnerHandle;
  /** `RECORDING_UPLOAD_MAX_BYTES`. */
  maxBytes: number;
  readYourWritesTimeoutMs: number;
  now(): Date;
  newId(): string;
}

const ARCHIVE_TYPES = new Set(['application/x-tar', 'application/tar', 'application/gzip', 'application/x-gzip']);

/** What nodes call: `POST /node/api/v1/recordings` (raw tar or tar.gz) and the import's status. */
export function nodeRecordingsRouter(deps: NodeUploadDeps): Router {
  const router = new Router({ prefix: '/node/api/v1/recordings' });
  const nodeOf = (ctx: Context) => authenticateNode(ctx.get('Authorization'), deps.nodeDirectory, Math.floor(deps.now().getTime() / 1000));

  router.post('/', async (ctx) => {
    const nodeId = await nodeOf(ctx);
    const contentType = (ctx.get('Content-Type').split(';')[0] ?? '').trim().toLowerCase();
    if (!ARCHIVE_TYPES.has(contentType)) throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', 'send the archive as Content-Type: application/x-tar or application/gzip');
    const lengthHeader = ctx.get('Content-Length');
    const expectedBytes = lengthHeader ? Number(lengthHeader) : undefined;
    if (expectedBytes !== undefined && expectedBytes > deps.maxBytes) throw tooLarge(ctx, deps.maxBytes);
    const importId = deps.newId();
    const requestId = String(ctx.state.requestId ?? importId);
    const context = { actor: `node:${nodeId}`, correlationId: requestId, causationId: requestId, now: deps.now(), commandId: importId };
    try {
      const position = await stageUpload(deps.store, deps.storage, { importId, nodeId, source: 'upload', contentType, body: ctx.req, maxBytes: deps.maxBytes, expectedBytes }, context);
      if (position !== undefined) await deps.runner.waitFor(position, { timeoutMs: deps.readYourWritesTimeoutMs }).catch(() => undefined);
    } catch (error) {
      if (error instanceof UploadTooLargeError) throw tooLarge(ctx, deps.maxBytes);
      if (error instanceof TruncatedUploadError) throw new HttpProblem(400, 'UPLOAD_TRUNCATED', 'Truncated upload', `${error.message}; send the archive again`);
      if (error instanceof StorageUnavailableError) {
        deps.logger.warn({ err: error, nodeId }, 'recording upload refused: storage unavailable');
        throw new HttpProblem(503, 'STORAGE_UNAVAILABLE', 'Storage unavailable', 'the recording store does not answer; retry later', { 'Retry-After': '60' });
      }
      if (ctx.req.destroyed || ctx.req.readableAborted) throw new HttpProblem(400, 'UPLOAD_TRUNCATED', 'Truncated upload', 'the connection closed before the archive was complete; send it again');
      throw error;
    }
    deps.logger.info({ importId, nodeId }, 'recording upload staged');
    ctx.status = 202;
    ctx.body = { importId };
  });

  router.get('/imports/:importId', async (ctx) => {
    const nodeId = await nodeOf(ctx);
    const status = deps.list.importOf(ctx.params.importId!);
    // Another node's import does not exist for this one.
    if (!status || status.nodeId !== nodeId) throw new HttpProblem(404, 'IMPORT_NOT_FOUND', 'Not found', `no import ${ctx.params.importId} from this node`);
    ctx.body = { importId: status.importId, state: status.state, recordIds: status.recordIds, ...(status.reason ? { reason: status.reason, detail: status.detail } : {}) };
  });

  return router;
}

function tooLarge(ctx: Context, maxBytes: number): HttpProblem {
  // The rest of the upload is not worth reading.
  ctx.set('Connection', 'close');
  return new HttpProblem(413, 'UPLOAD_TOO_LARGE', 'Upload too large', `the archive exceeds ${maxBytes} bytes (RECORDING_UPLOAD_MAX_BYTES)`);
}
