import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { formatGroups, type FormatGroup } from '../../domain/recording/archiveLayout.js';
import type { ImportRecordingFormat } from '../../domain/recording/commands.js';
import type { StoredFile } from '../../domain/recording/events.js';
import { MetadataError, parseMetadataXml, playbackPathOf, previewPath, type RecordingMetadata } from '../../domain/recording/metadataXml.js';
import type { ImportState } from '../../domain/recording/state.js';
import { STORAGE_KEYS, type ObjectStorage } from '../../storage/objectStorage.js';
import { ArchiveRejected, extractArchive, isGzip, type ExtractLimits } from './extractArchive.js';

/** A meeting as the import needs it, found through an internal meeting ID its events hold. */
export interface MeetingRef {
  tenant: string;
  scope: string;
  meetingID: string;
  name: string;
}

export interface ImportDeps {
  storage: ObjectStorage;
  /** Local scratch space; each import unpacks into `<workRoot>/<importId>` and removes it after. */
  workRoot: string;
  limits: ExtractLimits;
  meetingOf(internalMeetingID: string): MeetingRef | undefined;
}

export type Pending = Extract<ImportState, { status: 'pending' }>;

const MAX_METADATA_BYTES = 10 * 1024 * 1024;

/**
 * Reads a staged upload into one ImportRecordingFormat per (record id, format), its files already stored under
 * `<tenant>/<recordId>/<format>/`: 1. unpack into the work area (safely, measured), 2. compare with what the
 * upload recorded, 3. find the formats and parse their metadata.xml, 4. find each recording's meeting,
 * 5. store the files. Nothing is visible before the caller appends the commands' events.
 * @throws ArchiveRejected with the reason to record; StorageUnavailableError to retry later.
 */
export async function prepareImport(deps: ImportDeps, upload: Pending): Promise<ImportRecordingFormat[]> {
  const workDir = join(deps.workRoot, upload.importId);
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  try {
    // 1.
    const head = await deps.storage.get(upload.stagedKey, { start: 0, end: 1 });
    if (!head) throw new ArchiveRejected('badArchive', `the staged upload ${upload.stagedKey} is missing`);
    const gzip = isGzip(await buffer(head.body));
    const staged = await deps.storage.get(upload.stagedKey);
    if (!staged) throw new ArchiveRejected('badArchive', `the staged upload ${upload.stagedKey} is missing`);
    const extracted = await extractArchive(staged.body, gzip, workDir, deps.limits);
    // 2.
    if (extracted.bytes !== upload.bytes || extracted.sha256 !== upload.sha256) {
      throw new ArchiveRejected('checksumMismatch', `the staged upload has ${extracted.bytes} bytes (sha256 ${extracted.sha256}), the upload recorded ${upload.bytes} (${upload.sha256})`);
    }
    // 3.
    const groups = formatGroups(extracted.files.map((f) => f.path));
    if (groups.length === 0) throw new ArchiveRejected('noMetadata', 'the archive has no metadata.xml (expected <format>/<record_id>/metadata.xml or metadata.xml at its root)');
    const formats = await Promise.all(groups.map((group) => readFormat(workDir, group, extracted.files)));
    // 4.
    const owners = formats.map(({ metadata }) => deps.meetingOf(metadata.id) ?? (metadata.meeting.id ? deps.meetingOf(metadata.meeting.id) : undefined));
    const unknown = [...new Set(formats.filter((_, i) => owners[i] === undefined).map((f) => f.metadata.id))];
    if (unknown.length > 0) throw new ArchiveRejected('unknownMeeting', `no meeting created through this balancer has internal meeting ID ${unknown.join(', ')}`, unknown);
    // 5.
    const commands = formats.map((format, i) => toCommand(upload, format, owners[i]!));
    for (const [i, { files, root }] of formats.entries()) {
      const { tenant, recordId } = commands[i]!.data;
      const format = commands[i]!.data.playback.format;
      for (const file of files) {
        await deps.storage.put(STORAGE_KEYS.formatFile(tenant, recordId, format, file.path), createReadStream(join(workDir, ...(root + file.path).split('/'))));
      }
    }
    return commands;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface FormatRead {
  metadata: RecordingMetadata;
  format: string;
  root: string;
  /** Paths relative to the format directory. */
  files: StoredFile[];
}

async function readFormat(workDir: string, group: FormatGroup, all: StoredFile[]): Promise<FormatRead> {
  const metadataFile = all.find((f) => f.path === `${group.root}metadata.xml`)!;
  if (metadataFile.bytes > MAX_METADATA_BYTES) throw new ArchiveRejected('badMetadata', `${metadataFile.path} is larger than ${MAX_METADATA_BYTES} bytes`);
  let metadata: RecordingMetadata;
  try {
    metadata = parseMetadataXml(await readFile(join(workDir, ...metadataFile.path.split('/')), 'utf8'));
  } catch (error) {
    if (error instanceof MetadataError) throw new ArchiveRejected('badMetadata', `${metadataFile.path}: ${error.message}`);
    throw error;
  }
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(metadata.id)) throw new ArchiveRejected('badMetadata', `${metadataFile.path}: record id ${JSON.stringify(metadata.id)} is not a BBB record id`);
  if (group.recordId !== undefined && group.recordId !== metadata.id) {
    throw new ArchiveRejected('badMetadata', `${metadataFile.path} names record ${metadata.id}, but lies in the directory of ${group.recordId}`);
  }
  // B3LB's root layout carries the presentation format only; its metadata.xml names it.
  const format = group.format ?? metadata.format ?? 'presentation';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(format)) throw new ArchiveRejected('badMetadata', `${metadataFile.path}: format ${JSON.stringify(format)} is not a format name`);
  const files = all.filter((f) => f.path.startsWith(group.root)).map((f) => ({ ...f, path: f.path.slice(group.root.length) }));
  return { metadata, format, root: group.root, files };
}

function toCommand(upload: Pending, read: FormatRead, meeting: MeetingRef): ImportRecordingFormat {
  const { metadata: m, format, files } = read;
  const manifest = createHash('sha256')
    .update(files.map((f) => `${f.path}\t${f.sha256}\n`).sort().join(''))
    .digest('hex');
  // The node knows the meeting by our scoped ID: the tenant must see its own, as a single BBB server shows it.
  const metadata = { ...m.meta, meetingId: meeting.meetingID };
  const previews = m.previews.flatMap(({ url, ...image }) => {
    const path = previewPath(url, format, m.id);
    return path === undefined ? [] : [{ ...image, path }];
  });
  return {
    type: 'ImportRecordingFormat',
    data: {
      recordId: m.id,
      tenant: meeting.tenant,
      scope: meeting.scope,
      meetingID: meeting.meetingID,
      internalMeetingID: m.meeting.id ?? m.id,
      name: m.meeting.name ?? m.meta.meetingName ?? meeting.name,
      isBreakout: m.meeting.breakout,
      startTime: m.startTime,
      endTime: m.endTime,
      participants: m.participants,
      rawSize: m.rawSize,
      metadata,
      importId: upload.importId,
      nodeId: upload.nodeId,
      published: m.published && m.state !== 'unpublished',
      playback: {
        format,
        playbackPath: playbackPathOf(format, m.id),
        processingTimeMs: m.processingTimeMs,
        durationMs: m.durationMs,
        size: m.size > 0 ? m.size : files.reduce((sum, f) => sum + f.bytes, 0),
        previews,
        files: files.map((f) => ({ ...f })),
        manifest,
      },
    },
  };
}
