import type { ImportFailureReason, ImportSource, PlaybackFormat, RecordingDeleteReason, RecordingFacts, RecordingOwner, RenderFailureReason, StoredFile } from './events.js';

/** Who asks: a BBB request's tenant and scope, or an operator (`scope: null` sees every scope of the tenant). */
export type Viewer = { tenant: string; scope: string | null };

/** From the import: one format of one recording, its files already stored. */
export type ImportRecordingFormat = {
  type: 'ImportRecordingFormat';
  data: RecordingOwner & RecordingFacts & { importId: string; nodeId: string | null; published: boolean; playback: PlaybackFormat };
};

export type PublishRecording = { type: 'PublishRecording'; data: { recordId: string; viewer: Viewer; publish: boolean } };

/** updateRecordings: `meta_` keys set or removed, and (Scalelite's `protect`) the recording's own protection. */
export type UpdateRecording = {
  type: 'UpdateRecording';
  data: { recordId: string; viewer: Viewer; set: Record<string, string>; removed: string[]; protect?: boolean };
};

export type DeleteRecording = { type: 'DeleteRecording'; data: { recordId: string; viewer: Viewer; reason: RecordingDeleteReason } };

/** The retention process: the tenant keeps recordings `retentionDays` from their start; decide checks the age. */
export type ExpireRecording = { type: 'ExpireRecording'; data: { recordId: string; retentionDays: number } };

/** An operator asks for these profiles to be rendered (again); the render process picks each up. */
export type RequestRerender = { type: 'RequestRerender'; data: { recordId: string; profiles: string[] } };

/** The object deletion process removed every stored object of a deleted or expired recording. */
export type ConfirmObjectsDeleted = { type: 'ConfirmObjectsDeleted'; data: { recordId: string; objects: number; generation: number } };

export type RequestRender = { type: 'RequestRender'; data: { recordId: string; profile: string; attempt: number } };

export type RecordRendered = { type: 'RecordRendered'; data: { recordId: string; profile: string; file: StoredFile; durationSeconds: number } };

export type RecordRenderFailed = {
  type: 'RecordRenderFailed';
  data: { recordId: string; profile: string; attempt: number; reason: RenderFailureReason; detail: string };
};

export type RecordingCommand =
  | ImportRecordingFormat
  | PublishRecording
  | UpdateRecording
  | DeleteRecording
  | ExpireRecording
  | ConfirmObjectsDeleted
  | RequestRerender
  | RequestRender
  | RecordRendered
  | RecordRenderFailed;

/** The import of one upload (stream `import-<importId>`). */
export type RegisterUpload = {
  type: 'RegisterUpload';
  data: { importId: string; nodeId: string | null; source: ImportSource; contentType: string; bytes: number; sha256: string; stagedKey: string };
};

export type CompleteImport = { type: 'CompleteImport'; data: { importId: string; recordIds: string[] } };

export type FailImport = {
  type: 'FailImport';
  data: { importId: string; reason: ImportFailureReason; detail: string; recordIds: string[]; quarantineKey: string | null };
};

export type ImportCommand = RegisterUpload | CompleteImport | FailImport;
