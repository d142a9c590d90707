/**
 * What happened to a recording and to the uploads recordings arrive in. A recording's events live in
 * `recording-<recordId>`; an upload's in `import-<importId>` (its record ids are unknown until it is read).
 * Every recording event names its tenant and scope, so projections never read another stream.
 */

/** Whose recording: the tenant, the scope (sub-secret) that created the meeting, and its meetingID. */
export type RecordingOwner = {
  recordId: string;
  tenant: string;
  /** `acme` or `acme-007`: a sub-secret sees its own scope's recordings, the main secret all of the tenant's. */
  scope: string;
};

/** One stored file of a format, under `<tenant>/<recordId>/<format>/<path>`. */
export type StoredFile = { path: string; bytes: number; sha256: string };

/** A `<preview><images><image>` of metadata.xml, `href` as a path below the format (`presentation/<id>/…`). */
export type PreviewImage = { width: string; height: string; alt: string; path: string };

/** What metadata.xml says of the recording as a whole (the same in every format's copy). */
export type RecordingFacts = {
  /** The tenant's own meetingID (from the meeting's events, never the node's scoped one). */
  meetingID: string;
  internalMeetingID: string;
  name: string;
  isBreakout: boolean;
  /** Epoch ms. */
  startTime: number;
  endTime: number;
  participants: number;
  rawSize: number;
  /** `<meta>` children as BBB lists them, `meetingId` rewritten to the tenant's own meetingID. */
  metadata: Record<string, string>;
};

/** One playback format as getRecordings lists it. */
export type PlaybackFormat = {
  format: string;
  /** The player's path on our host: `/playback/presentation/2.3/<id>` for presentation, else `/<format>/<id>/`. */
  playbackPath: string;
  processingTimeMs: number;
  durationMs: number;
  size: number;
  previews: PreviewImage[];
  files: StoredFile[];
  /** sha256 over the sorted file list: the same upload again is a no-op, another one a replace. */
  manifest: string;
};

export type ImportSource = 'upload' | 'spool';

/** An archive arrived (POST from a node, or Scalelite's spool directory) and is staged under `stagedKey`. */
export type RecordingUploaded = {
  type: 'RecordingUploaded';
  data: { importId: string; nodeId: string | null; source: ImportSource; contentType: string; bytes: number; sha256: string; stagedKey: string };
};

/** Every format of an upload is imported (or already was): `recordIds` name them. */
export type RecordingImportCompleted = {
  type: 'RecordingImportCompleted';
  data: { importId: string; recordIds: string[] };
};

export const IMPORT_FAILURE_REASONS = ['unknownMeeting', 'noMetadata', 'badMetadata', 'unsafeArchive', 'badArchive', 'tooLarge', 'checksumMismatch', 'storageUnavailable', 'recordingDeleted'] as const;
export type ImportFailureReason = (typeof IMPORT_FAILURE_REASONS)[number];

/** Nothing of the upload became visible. `quarantineKey`: the upload kept for an operator (unknownMeeting). */
export type RecordingImportFailed = {
  type: 'RecordingImportFailed';
  data: { importId: string; reason: ImportFailureReason; detail: string; recordIds: string[]; quarantineKey: string | null };
};

/** A format of a recording is stored and visible; `replaced`: a different upload of the same format was before. */
export type RecordingImported = {
  type: 'RecordingImported';
  data: RecordingOwner & RecordingFacts & { importId: string; nodeId: string | null; published: boolean; playback: PlaybackFormat; replaced: boolean };
};

export type RecordingPublished = { type: 'RecordingPublished'; data: RecordingOwner };
export type RecordingUnpublished = { type: 'RecordingUnpublished'; data: RecordingOwner };

/** updateRecordings: `set` keys added or changed, `removed` keys taken out (an empty `meta_x`). */
export type RecordingMetadataUpdated = {
  type: 'RecordingMetadataUpdated';
  data: RecordingOwner & { set: Record<string, string>; removed: string[] };
};

/**
 * updateRecordings' `protect` (Scalelite): this recording's links are signed (or plain) whatever the tenant's
 * default (`PUT /admin/api/v1/tenants/:name/recordings {"protected": …}`) says.
 */
export type RecordingProtectionChanged = { type: 'RecordingProtectionChanged'; data: RecordingOwner & { protected: boolean } };

export type RecordingDeleteReason = 'api' | 'admin';

/** Gone from getRecordings and playback; its stored objects are removed after this is stored. */
export type RecordingDeleted = { type: 'RecordingDeleted'; data: RecordingOwner & { reason: RecordingDeleteReason } };

/** The tenant's retention ran out (`retentionDays`); like a delete. */
export type RecordingExpired = { type: 'RecordingExpired'; data: RecordingOwner & { retentionDays: number } };

/**
 * Every stored object of a deleted or expired recording is gone (the object deletion process, after its
 * RecordingDeleted / RecordingExpired, or again after a RecordingRenderDiscarded); `objects`: how many it removed.
 * `generation`: how many of those owed deletions of the stream (the delete or expiry, then each discarded
 * render) it covers; a render discarded while the deletion ran is owed another one.
 */
export type RecordingObjectsDeleted = { type: 'RecordingObjectsDeleted'; data: RecordingOwner & { objects: number; generation: number } };

export type RenderRequester = 'process' | 'operator';

/**
 * Render `profile` (`video`, `composite`) of the recording's presentation: asked by the render process for
 * each RENDER_PROFILES profile of an import (and each retry), or by an operator (admin API, CLI), which the
 * render process then picks up with a fresh set of attempts. v1 events were all the process's.
 */
export type RecordingRenderRequested = { type: 'RecordingRenderRequested'; data: RecordingOwner & { profile: string; attempt: number; by: RenderRequester } };

/**
 * The MP4 of `profile` is stored at `<tenant>/<recordId>/render-<profile>/<file.path>`: getRecordings lists it
 * as one more `<format>` whose `<type>` is the profile and whose `<url>` serves the MP4 itself.
 */
export type RecordingRendered = {
  type: 'RecordingRendered';
  data: RecordingOwner & { profile: string; file: StoredFile; durationSeconds: number };
};

/**
 * A render finished after its recording was deleted or expired: never listed, and its MP4 (already stored at
 * `file`) is owed a deletion, which the object deletion process carries out.
 */
export type RecordingRenderDiscarded = {
  type: 'RecordingRenderDiscarded';
  data: RecordingOwner & { profile: string; file: StoredFile };
};

export const RENDER_FAILURE_REASONS = ['ffmpegFailed', 'timeout', 'noInput', 'storageUnavailable'] as const;
export type RenderFailureReason = (typeof RENDER_FAILURE_REASONS)[number];

export type RecordingRenderFailed = {
  type: 'RecordingRenderFailed';
  data: RecordingOwner & { profile: string; attempt: number; reason: RenderFailureReason; detail: string };
};

export type RecordingEvent =
  | RecordingImported
  | RecordingPublished
  | RecordingUnpublished
  | RecordingMetadataUpdated
  | RecordingProtectionChanged
  | RecordingDeleted
  | RecordingExpired
  | RecordingObjectsDeleted
  | RecordingRenderRequested
  | RecordingRendered
  | RecordingRenderDiscarded
  | RecordingRenderFailed;

export type ImportEvent = RecordingUploaded | RecordingImportCompleted | RecordingImportFailed;

export const RECORDING_EVENT_TYPES: readonly RecordingEvent['type'][] = [
  'RecordingImported',
  'RecordingPublished',
  'RecordingUnpublished',
  'RecordingMetadataUpdated',
  'RecordingProtectionChanged',
  'RecordingDeleted',
  'RecordingExpired',
  'RecordingObjectsDeleted',
  'RecordingRenderRequested',
  'RecordingRendered',
  'RecordingRenderDiscarded',
  'RecordingRenderFailed',
];

export const IMPORT_EVENT_TYPES: readonly ImportEvent['type'][] = ['RecordingUploaded', 'RecordingImportCompleted', 'RecordingImportFailed'];
