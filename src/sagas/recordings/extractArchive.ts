import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { safeEntryPath } from '../../domain/recording/archiveLayout.js';
import type { ImportFailureReason, StoredFile } from '../../domain/recording/events.js';

export interface ExtractLimits {
  /** Most bytes all entries may hold together (a gzip bomb stops here). */
  maxExtractedBytes: number;
  maxEntries: number;
}

export interface Extracted {
  /** Of the archive as uploaded (compressed), to compare with what the upload recorded. */
  bytes: number;
  sha256: string;
  files: StoredFile[];
}

/** The archive cannot be imported; `reason` goes into RecordingImportFailed as is. */
export class ArchiveRejected extends Error {
  constructor(
    readonly reason: ImportFailureReason,
    detail: string,
    /** The recordings the refusal concerns, when it knows them. */
    readonly recordIds: readonly string[] = [],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/**
 * Streams a tar (gzip-compressed when `gzip`) into `workDir`, one entry at a time: never the whole archive in
 * memory, nothing outside `workDir` (every name is checked before anything is written), no links or devices.
 */
export async function extractArchive(source: Readable, gzip: boolean, workDir: string, limits: ExtractLimits): Promise<Extracted> {
  const whole = measured();
  const files: StoredFile[] = [];
  let extracted = 0;
  let entries = 0;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const fail = (error: Error) => {
      stream.resume();
      next(error);
    };
    if (++entries > limits.maxEntries) return fail(new ArchiveRejected('tooLarge', `more than ${limits.maxEntries} entries`));
    const path = safeEntryPath(header.name, header.type);
    if (typeof path !== 'string') return fail(new ArchiveRejected('unsafeArchive', path.reason));
    if (header.type === 'directory' || path === '') {
      stream.resume();
      return next();
    }
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        extracted += chunk.length;
        if (extracted > limits.maxExtractedBytes) return done(new ArchiveRejected('tooLarge', `the archive unpacks to more than ${limits.maxExtractedBytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const target = join(workDir, ...path.split('/'));
    mkdir(dirname(target), { recursive: true })
      .then(() => pipeline(stream, meter, createWriteStream(target, { flags: 'w' })))
      .then(() => {
        files.push({ path, bytes: size, sha256: hash.digest('hex') });
        next();
      }, fail);
  });
  const unpack = gzip ? [createGunzip()] : [];
  try {
    await pipeline(source, whole.stream, ...unpack, extract);
  } catch (error) {
    if (error instanceof ArchiveRejected) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ArchiveRejected('badArchive', `not a readable ${gzip ? 'tar.gz' : 'tar'}: ${message}`);
  }
  return { ...whole.result(), files };
}

/** gzip's magic bytes: nodes send `application/gzip` or plain tar, and some label either wrongly. */
export const isGzip = (head: Buffer): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

/** Hashes and counts a stream while it passes (the upload as it is staged). */
export function measured(): { stream: Transform; result(): { bytes: number; sha256: string } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}
