import { pipeline, Transform, type Readable } from 'node:stream';
import type { ImportSource } from '../../domain/recording/events.js';
import type { EventStore, Position } from '../../eventstore/port.js';
import { measured } from '../../sagas/recordings/extractArchive.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import type { CommandContext } from '../decider/handleCommand.js';
import { handleImportCommand } from '../decider/recordingCommands.js';

export interface StageUpload {
  importId: string;
  nodeId: string | null;
  source: ImportSource;
  contentType: string;
  body: Readable;
  /** `RECORDING_UPLOAD_MAX_BYTES`: past it the upload fails with UploadTooLargeError and nothing is kept. */
  maxBytes: number;
  /** What the sender announced (Content-Length); fewer bytes mean a truncated upload. */
  expectedBytes: number | undefined;
}

export class UploadTooLargeError extends Error {
  readonly code = 'UPLOAD_TOO_LARGE';
}

export class TruncatedUploadError extends Error {
  readonly code = 'UPLOAD_TRUNCATED';
}

/**
 * An archive becomes an import: 1. streamed to `.imports/<importId>` in the store (measured and hashed on the
 * way, never whole in memory), 2. RecordingUploaded appended. A failure before 2 removes the staged bytes, so
 * nothing is half-accepted; after 2 the import process owns them.
 */
export async function stageUpload(store: EventStore, storage: ObjectStorage, upload: StageUpload, context: CommandContext): Promise<Position | undefined> {
  const stagedKey = STORAGE_KEYS.staged(upload.importId);
  const meter = measured();
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > upload.maxBytes ? new UploadTooLargeError(`the upload exceeds ${upload.maxBytes} bytes (RECORDING_UPLOAD_MAX_BYTES)`) : null, chunk);
    },
  });
  try {
    // 1.
    // pipeline, not pipe: a sender that goes away must fail the store's write, not leave it waiting.
    await storage.put(stagedKey, pipeline(upload.body, limit, meter.stream, () => undefined));
    const { bytes, sha256 } = meter.result();
    if (upload.expectedBytes !== undefined && bytes !== upload.expectedBytes) throw new TruncatedUploadError(`received ${bytes} of ${upload.expectedBytes} bytes`);
    if (bytes === 0) throw new TruncatedUploadError('the upload is empty');
    // 2.
    const data = { importId: upload.importId, nodeId: upload.nodeId, source: upload.source, contentType: upload.contentType, bytes, sha256, stagedKey };
    return (await handleImportCommand(store, { type: 'RegisterUpload', data }, context)).position;
  } catch (error) {
    await storage.delete(stagedKey).catch(() => undefined);
    throw error;
  }
}
