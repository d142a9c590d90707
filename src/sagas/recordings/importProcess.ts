import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { MeetingRef, Pending } from './importUpload.js';

/**
 * The import process's view: every internal meeting ID a meeting's events hold (a meeting moved by failover
 * has several), and the uploads not yet imported or failed. Mutated in place: it only grows with the log,
 * and copying it per event would make a replay quadratic.
 */
export interface ImportView {
  meetings: Map<string, MeetingRef>;
  pending: Map<string, Pending>;
}

export type ImportEffect = { kind: 'import'; importId: string };

export const initialImportView = (): ImportView => ({ meetings: new Map(), pending: new Map() });

export function evolveImportView(view: ImportView, event: DomainEvent): ImportView {
  switch (event.type) {
    case 'MeetingCreated': {
      const { tenant, scope, meetingID, internalMeetingID, name } = event.data;
      view.meetings.set(internalMeetingID, { tenant, scope, meetingID, name });
      break;
    }
    case 'MeetingMoved': {
      const { tenant, scope, meetingID, internalMeetingID, name } = event.data;
      view.meetings.set(internalMeetingID, { tenant, scope, meetingID, name });
      break;
    }
    case 'RecordingUploaded': {
      const { importId, nodeId, sha256, bytes, stagedKey } = event.data;
      view.pending.set(importId, { status: 'pending', importId, nodeId, sha256, bytes, stagedKey });
      break;
    }
    case 'RecordingImportCompleted':
    case 'RecordingImportFailed':
      view.pending.delete(event.data.importId);
      break;
    default:
      break;
  }
  return view;
}

/** An upload asks for its import; the performer finds it still pending (or not, after a replay) when it runs. */
export function reactToImportEvent(_view: ImportView, event: DomainEvent): ImportEffect[] {
  return event.type === 'RecordingUploaded' ? [{ kind: 'import', importId: event.data.importId }] : [];
}
