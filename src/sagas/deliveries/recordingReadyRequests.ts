import { recordingReadyDeliveryId, recordingReadyUrlOf } from '../../domain/delivery/recordingReady.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import { tenantScope } from '../../domain/tenant/addressing.js';

/**
 * Which recording-ready callbacks are to be asked for, pure. It follows meetings (the URL their create named,
 * per internal meeting ID), tenants (the secrets each scope signs with), recordings and imports: a recording
 * is due once the upload that brought it is complete, so the receiver's getRecordings finds every format.
 * Mutated in place, like the import view: it only grows with the log.
 */
export interface ReadyView {
  /**
   * Running meetings (scope and meetingID) → the URL of their latest create, until they end; internalMeetingID
   * → the URL its recording reports to, until the callback is asked for. Only meetings that named one.
   */
  urlByMeeting: Map<string, string>;
  urlByInternal: Map<string, string>;
  /** scope → its active secrets, oldest first, by secretId. */
  secrets: Map<string, Map<string, string>>;
  secretScope: Map<string, string>;
  /** Imported recordings whose upload is not complete yet, by import. */
  imported: Map<string, Map<string, ReadyRecording>>;
  due: Map<string, ReadyRecording>;
  /** Record ids whose delivery was asked for: never again. */
  asked: Set<string>;
}

export interface ReadyRecording {
  recordId: string;
  tenant: string;
  scope: string;
  meetingID: string;
  url: string;
}

/** Ask for the delivery of a recording's callback, signed with `secret` (undefined: its scope has none left). */
export interface RequestReadyEffect {
  kind: 'requestReady';
  id: string;
  deliveryId: string;
  recording: ReadyRecording;
  secret: string | undefined;
}

export const initialReadyView = (): ReadyView => ({
  urlByMeeting: new Map(),
  urlByInternal: new Map(),
  secrets: new Map(),
  secretScope: new Map(),
  imported: new Map(),
  due: new Map(),
  asked: new Set(),
});

export function evolveReadyView(view: ReadyView, event: DomainEvent): ReadyView {
  switch (event.type) {
    case 'MeetingPlaced':
      setOrDelete(view.urlByMeeting, meetingKey(event.data), recordingReadyUrlOf(event.data.params));
      break;
    case 'MeetingEnded':
      view.urlByMeeting.delete(meetingKey(event.data));
      break;
    case 'MeetingCreated':
    case 'MeetingMoved': {
      // MeetingCreated's params are null before schema v2: MeetingPlaced's then stand.
      const fromCreated = event.type === 'MeetingCreated' && event.data.params !== null ? recordingReadyUrlOf(event.data.params) : undefined;
      const url = event.type === 'MeetingCreated' && event.data.params !== null ? fromCreated : view.urlByMeeting.get(meetingKey(event.data));
      setOrDelete(view.urlByInternal, event.data.internalMeetingID, url);
      break;
    }
    case 'TenantSecretAdded': {
      const scope = tenantScope(event.data.tenant, event.data.subId);
      const secrets = view.secrets.get(scope) ?? new Map<string, string>();
      if (!secrets.has(event.data.secretId)) secrets.set(event.data.secretId, event.data.secret);
      view.secrets.set(scope, secrets);
      view.secretScope.set(event.data.secretId, scope);
      break;
    }
    case 'TenantSecretRevoked': {
      const scope = view.secretScope.get(event.data.secretId);
      if (scope !== undefined) view.secrets.get(scope)?.delete(event.data.secretId);
      break;
    }
    case 'RecordingImported': {
      const { recordId, tenant, scope, meetingID, internalMeetingID, importId } = event.data;
      const url = view.urlByInternal.get(internalMeetingID);
      if (url === undefined || view.asked.has(recordId)) break;
      const recordings = view.imported.get(importId) ?? new Map<string, ReadyRecording>();
      recordings.set(recordId, { recordId, tenant, scope, meetingID, url });
      view.imported.set(importId, recordings);
      break;
    }
    case 'RecordingImportCompleted':
      for (const recording of view.imported.get(event.data.importId)?.values() ?? []) {
        if (!view.asked.has(recording.recordId)) view.due.set(recording.recordId, recording);
      }
      view.imported.delete(event.data.importId);
      break;
    case 'RecordingImportFailed':
      view.imported.delete(event.data.importId);
      break;
    case 'CallbackDeliveryRequested':
      if (event.data.kind === 'recordingReady') {
        view.asked.add(event.data.recordId);
        view.due.delete(event.data.recordId);
        view.urlByInternal.delete(event.data.recordId);
      }
      break;
    default:
      break;
  }
  return view;
}

/** Every due callback, signed with the oldest active secret of the meeting's scope (the sub's for a sub-secret). */
export function readyRequests(view: ReadyView): RequestReadyEffect[] {
  return [...view.due.values()].map((recording) => {
    const deliveryId = recordingReadyDeliveryId(recording.recordId);
    const secret = view.secrets.get(recording.scope)?.values().next().value;
    return { kind: 'requestReady', id: `${deliveryId}#request`, deliveryId, recording, secret };
  });
}

const meetingKey = (m: { scope: string; meetingID: string }): string => `${m.scope}\n${m.meetingID}`;

function setOrDelete(map: Map<string, string>, key: string, value: string | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}
