import type { S3Settings } from './storage/s3Storage.js';
import { ConfigError, integer, url, type EnvValue } from './configValues.js';

export interface RecordingsConfig {
  /** `RECORDINGS_DIR`: where recordings are stored when no S3 is configured (the embedded default). Default `./data/recordings`. */
  dir: string;
  /** `RECORDINGS_WORK_DIR`: local scratch space an import unpacks into (removed after each import). Default `./data/recordings-work`. */
  workDir: string;
  /** `RECORDINGS_SPOOL_DIR`: a directory watched for Scalelite's `<record_id>.tar` drops (scalelite_post_publish.rb); absent = not watched. */
  spoolDir: string | undefined;
  /** `RECORDINGS_SPOOL_INTERVAL_MS`: how often the spool directory is scanned. Default 10000. */
  spoolIntervalMs: number;
  /** `RECORDING_UPLOAD_MAX_BYTES`: largest archive a node may upload (413 past it). Default 10 GiB. */
  uploadMaxBytes: number;
  /** `RECORDING_EXTRACT_MAX_BYTES`: most bytes an archive may unpack to (decompression bombs stop here). Default 4 × RECORDING_UPLOAD_MAX_BYTES. */
  extractMaxBytes: number;
  /** `RECORDING_IMPORT_CONCURRENCY`: uploads imported at once. Default 2. */
  importConcurrency: number;
  /** `RECORDINGS_QUARANTINE_DAYS`: failed uploads are kept this long for an operator. Default 14. */
  quarantineDays: number;
  /**
   * `S3_BUCKET` (with `S3_ENDPOINT` for MinIO and others, `S3_REGION` default us-east-1, `S3_ACCESS_KEY_ID` /
   * `S3_SECRET_ACCESS_KEY` else the AWS default chain, `S3_FORCE_PATH_STYLE=true` for MinIO): store
   * recordings in S3; absent = `RECORDINGS_DIR`.
   */
  s3: S3Settings | undefined;
  /** `PUBLIC_URL`: the origin recording URLs point at, e.g. `https://lb.example.com`; absent = each request's own origin. */
  publicUrl: string | undefined;
  /** `PLAYBACK_PLAYER_DIR`: bbb-playback's static build, served at /playback/presentation/2.3/; absent = not served. */
  playerDir: string | undefined;
  /** `RECORDINGS_LINK_TTL_S`: how long a protected tenant's links from getRecordings can be opened. Default 3600 (Scalelite's 60 min). */
  linkTtlSeconds: number;
  /** `RECORDINGS_PLAYBACK_SESSION_S`: how long an opened protected link keeps playing (its cookie). Default 21600 (Scalelite's 360 min). */
  playbackSessionSeconds: number;
}

const GIB = 1024 * 1024 * 1024;

export function recordingsConfig(value: EnvValue): RecordingsConfig {
  const uploadMaxBytes = integer('RECORDING_UPLOAD_MAX_BYTES', value('RECORDING_UPLOAD_MAX_BYTES'), 10 * GIB, 1024, 1024 * GIB);
  const bucket = value('S3_BUCKET');
  const s3Only = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].find((name) => value(name) !== undefined);
  if (!bucket && s3Only) throw new ConfigError('S3_BUCKET', `is required when ${s3Only} is set`);
  const forcePathStyle = value('S3_FORCE_PATH_STYLE') ?? 'false';
  if (forcePathStyle !== 'true' && forcePathStyle !== 'false') throw new ConfigError('S3_FORCE_PATH_STYLE', 'must be true or false');
  const publicUrl = url('PUBLIC_URL', value('PUBLIC_URL'), ['http:', 'https:'])?.replace(/\/+$/, '');
  return {
    dir: value('RECORDINGS_DIR') ?? './data/recordings',
    workDir: value('RECORDINGS_WORK_DIR') ?? './data/recordings-work',
    spoolDir: value('RECORDINGS_SPOOL_DIR'),
    spoolIntervalMs: integer('RECORDINGS_SPOOL_INTERVAL_MS', value('RECORDINGS_SPOOL_INTERVAL_MS'), 10_000, 100, 3_600_000),
    uploadMaxBytes,
    extractMaxBytes: integer('RECORDING_EXTRACT_MAX_BYTES', value('RECORDING_EXTRACT_MAX_BYTES'), 4 * uploadMaxBytes, 1024, 4096 * GIB),
    importConcurrency: integer('RECORDING_IMPORT_CONCURRENCY', value('RECORDING_IMPORT_CONCURRENCY'), 2, 1, 64),
    quarantineDays: integer('RECORDINGS_QUARANTINE_DAYS', value('RECORDINGS_QUARANTINE_DAYS'), 14, 1, 3650),
    s3: bucket
      ? {
          bucket,
          endpoint: url('S3_ENDPOINT', value('S3_ENDPOINT'), ['http:', 'https:']),
          region: value('S3_REGION') ?? 'us-east-1',
          accessKeyId: value('S3_ACCESS_KEY_ID'),
          secretAccessKey: value('S3_SECRET_ACCESS_KEY'),
          forcePathStyle: forcePathStyle === 'true',
        }
      : undefined,
    publicUrl,
    playerDir: value('PLAYBACK_PLAYER_DIR'),
    linkTtlSeconds: integer('RECORDINGS_LINK_TTL_S', value('RECORDINGS_LINK_TTL_S'), 3600, 10, 604_800),
    playbackSessionSeconds: integer('RECORDINGS_PLAYBACK_SESSION_S', value('RECORDINGS_PLAYBACK_SESSION_S'), 21_600, 60, 604_800),
  };
}
