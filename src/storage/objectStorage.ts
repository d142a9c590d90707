import type { Readable } from 'node:stream';

/** One stored object read back: its bytes (the requested range of them) and what the store knows of it. */
export interface StoredObject {
  body: Readable;
  /** Size of the whole object, whatever the range. */
  size: number;
  contentType: string | undefined;
}

/** An inclusive byte range, as HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Recordings, uploads and quarantined archives: one port, a local-directory and an S3 adapter. Keys are
 * relative, `/`-separated, without `.`/`..` segments (checkedKey); an object is visible under its key only
 * once it is whole.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  /** Streams `body` to `key`, replacing what was there; never holds the whole body in memory. */
  put(key: string, body: Readable, options?: { contentType?: string }): Promise<void>;
  /** Undefined when nothing is stored under `key`. */
  get(key: string, range?: ByteRange): Promise<StoredObject | undefined>;
  size(key: string): Promise<number | undefined>;
  /** Renames within the store (quarantine); the source is gone afterwards. */
  move(from: string, to: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (which ends with `/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys under `prefix`, for the quarantine purge and admin listings. */
  list(prefix: string): AsyncIterable<{ key: string; size: number; modified: Date }>;
  /** A URL a browser may GET the object from for `expiresInSeconds` (S3 presigned); undefined: serve it ourselves. */
  signedUrl(key: string, expiresInSeconds: number): Promise<string | undefined>;
}

/** Thrown by an adapter when the backing store did not answer (S3 down): callers retry, never lose data. */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** @throws TypeError for a key that could name something outside the store. */
export function checkedKey(key: string): string {
  if (key.length === 0 || key.length > 1024 || key.startsWith('/') || key.includes('\\') || key.includes('\0')) {
    throw new TypeError(`storage key ${JSON.stringify(key)} is not a relative path`);
  }
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw new TypeError(`storage key ${JSON.stringify(key)} has an empty, . or .. segment`);
  }
  return key;
}

/** Where each kind of object lives in the store. Tenant names never start with `.`, so no prefix can collide. */
export const STORAGE_KEYS = {
  staged: (importId: string) => `.imports/${importId}`,
  quarantined: (importId: string) => `.quarantine/${importId}`,
  quarantinePrefix: '.quarantine/',
  /** Tenant branding (logo, slide, css), content-addressed: the same bytes are stored once. */
  asset: (sha256: string) => `.assets/${sha256}`,
  recordingPrefix: (tenant: string, recordId: string) => `${tenant}/${recordId}/`,
  formatFile: (tenant: string, recordId: string, format: string, path: string) => `${tenant}/${recordId}/${format}/${path}`,
} as const;

const CONTENT_TYPES: Record<string, string> = {
  xml: 'application/xml',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  js: 'text/javascript',
  css: 'text/css',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webm: 'video/webm',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  vtt: 'text/vtt',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

export function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[path.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}
