import type { ImportEvent, ImportFailureReason, RecordingEvent, RecordingOwner } from './events.js';

/** `discarded`: it finished after the recording was gone; its output is deleted, never listed. */
export type RenderStatus = 'requested' | 'rendered' | 'failed' | 'discarded';

interface Known {
  owner: RecordingOwner;
  /** Epoch ms, from metadata.xml: retention counts from here. */
  startTime: number;
  /** Format → its manifest: a re-upload with the same manifest is a no-op. */
  formats: Record<string, string>;
  published: boolean;
  /** publishRecordings was called: a later import of another format keeps its choice (as Scalelite does). */
  publishSet: boolean;
  metadata: Record<string, string>;
  /** updateRecordings' `protect`; null: the tenant's default decides. */
  protected: boolean | null;
  renders: Record<string, RenderStatus>;
}

/** `gone`: deleted or expired; the record id stays taken (a late upload of it is refused, not resurrected). */
export type RecordingState = { status: 'absent' } | (Known & { status: 'present' }) | (Known & { status: 'gone' });

export const initialRecordingState = (): RecordingState => ({ status: 'absent' });

export function evolveRecording(state: RecordingState, event: RecordingEvent): RecordingState {
  if (event.type === 'RecordingImported') {
    const { recordId, tenant, scope, playback, published, metadata, startTime } = event.data;
    if (state.status === 'absent') {
      const owner = { recordId, tenant, scope };
      return { status: 'present', owner, startTime, formats: { [playback.format]: playback.manifest }, published, publishSet: false, metadata: { ...metadata }, protected: null, renders: {} };
    }
    return { ...state, formats: { ...state.formats, [playback.format]: playback.manifest } };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'RecordingPublished':
      return { ...state, published: true, publishSet: true };
    case 'RecordingUnpublished':
      return { ...state, published: false, publishSet: true };
    case 'RecordingMetadataUpdated': {
      const metadata = { ...state.metadata, ...event.data.set };
      for (const key of event.data.removed) delete metadata[key];
      return { ...state, metadata };
    }
    case 'RecordingProtectionChanged':
      return { ...state, protected: event.data.protected };
    case 'RecordingDeleted':
    case 'RecordingExpired':
      return { ...state, status: 'gone' };
    case 'RecordingObjectsDeleted':
      return state;
    case 'RecordingRenderDiscarded':
      return { ...state, renders: { ...state.renders, [event.data.profile]: 'discarded' } };
    case 'RecordingRenderRequested':
      return { ...state, renders: { ...state.renders, [event.data.profile]: 'requested' } };
    case 'RecordingRendered':
      return { ...state, renders: { ...state.renders, [event.data.profile]: 'rendered' } };
    case 'RecordingRenderFailed':
      return { ...state, renders: { ...state.renders, [event.data.profile]: 'failed' } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export type ImportState =
  | { status: 'none' }
  | { status: 'pending'; importId: string; nodeId: string | null; sha256: string; bytes: number; stagedKey: string }
  | { status: 'imported'; importId: string; nodeId: string | null; recordIds: string[] }
  | { status: 'failed'; importId: string; nodeId: string | null; reason: ImportFailureReason; detail: string; recordIds: string[]; quarantineKey: string | null };

export const initialImportState = (): ImportState => ({ status: 'none' });

export function evolveImport(state: ImportState, event: ImportEvent): ImportState {
  switch (event.type) {
    case 'RecordingUploaded': {
      const { importId, nodeId, sha256, bytes, stagedKey } = event.data;
      return { status: 'pending', importId, nodeId, sha256, bytes, stagedKey };
    }
    case 'RecordingImportCompleted':
      if (state.status !== 'pending') return state;
      return { status: 'imported', importId: state.importId, nodeId: state.nodeId, recordIds: [...event.data.recordIds] };
    case 'RecordingImportFailed': {
      if (state.status !== 'pending') return state;
      const { reason, detail, recordIds, quarantineKey } = event.data;
      return { status: 'failed', importId: state.importId, nodeId: state.nodeId, reason, detail, recordIds: [...recordIds], quarantineKey };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
