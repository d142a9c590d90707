import type { DecideContext } from '../decider.js';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors.js';
import { expiresAt } from '../tenant/recordingPolicy.js';
import type { ConfirmObjectsDeleted, DeleteRecording, ExpireRecording, ImportCommand, ImportRecordingFormat, PublishRecording, RecordingCommand, RequestRerender, UpdateRecording, Viewer } from './commands.js';
import type { ImportEvent, RecordingEvent } from './events.js';
import type { ImportState, RecordingState } from './state.js';
import { isVisibleTo } from './visibility.js';

type Present = Extract<RecordingState, { status: 'present' }>;

export function decideRecording(command: RecordingCommand, state: RecordingState, context: DecideContext): RecordingEvent[] {
  switch (command.type) {
    case 'ImportRecordingFormat':
      return importFormat(command, state);
    case 'PublishRecording':
      return publish(command, state);
    case 'UpdateRecording':
      return update(command, state);
    case 'DeleteRecording':
      return deleteRecording(command, state);
    case 'RequestRender': {
      const present = existing(state, null);
      if (present.renders[command.data.profile] === 'requested') return [];
      return [{ type: 'RecordingRenderRequested', data: { ...present.owner, profile: command.data.profile, attempt: command.data.attempt, by: 'process' } }];
    }
    case 'RequestRerender':
      return rerender(command, state);
    case 'ExpireRecording':
      return expire(command, state, context);
    case 'ConfirmObjectsDeleted':
      return confirmObjectsDeleted(command, state);
    case 'RecordRendered': {
      const { profile, file, durationSeconds } = command.data;
      // Stored after the recording went: never listed, and the MP4 is owed a deletion.
      if (state.status === 'gone') return [{ type: 'RecordingRenderDiscarded', data: { ...state.owner, profile, file: { ...file } } }];
      const present = existing(state, null);
      if (present.renders[profile] !== 'requested') return [];
      return [{ type: 'RecordingRendered', data: { ...present.owner, profile, file: { ...file }, durationSeconds } }];
    }
    case 'RecordRenderFailed': {
      if (state.status === 'gone') return [];
      const present = existing(state, null);
      const { profile, attempt, reason, detail } = command.data;
      if (present.renders[profile] !== 'requested') return [];
      return [{ type: 'RecordingRenderFailed', data: { ...present.owner, profile, attempt, reason, detail } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown recording command ${JSON.stringify(unknown)}`);
    }
  }
}

/** Keyed on (record id, format): the same files again add nothing; other files replace the format, said so. */
function importFormat(command: ImportRecordingFormat, state: RecordingState): RecordingEvent[] {
  const { data } = command;
  if (state.status === 'gone') throw new IllegalStateError(`recording ${data.recordId} was deleted; a new upload of it is refused`);
  if (state.status === 'present' && (state.owner.tenant !== data.tenant || state.owner.scope !== data.scope)) {
    throw new IllegalStateError(`recording ${data.recordId} belongs to ${state.owner.scope}, not ${data.scope}`);
  }
  const before = state.status === 'present' ? state.formats[data.playback.format] : undefined;
  if (before === data.playback.manifest) return [];
  // A later format of a recording someone already (un)published follows that choice, not its metadata.xml.
  const published = state.status === 'present' && state.publishSet ? state.published : data.published;
  const metadata = state.status === 'present' ? { ...state.metadata } : { ...data.metadata };
  return [{ type: 'RecordingImported', data: { ...data, metadata, published, playback: { ...data.playback }, replaced: before !== undefined } }];
}

function publish(command: PublishRecording, state: RecordingState): RecordingEvent[] {
  const present = existing(state, command.data.viewer);
  if (present.published === command.data.publish && present.publishSet) return [];
  return [{ type: command.data.publish ? 'RecordingPublished' : 'RecordingUnpublished', data: { ...present.owner } }];
}

function update(command: UpdateRecording, state: RecordingState): RecordingEvent[] {
  const present = existing(state, command.data.viewer);
  const { protect } = command.data;
  const protection: RecordingEvent[] = protect === undefined || present.protected === protect ? [] : [{ type: 'RecordingProtectionChanged', data: { ...present.owner, protected: protect } }];
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(command.data.set)) {
    if (key === '') throw new ValidationError('a metadata key must not be empty', 'set');
    if (present.metadata[key] !== value) set[key] = value;
  }
  const removed = command.data.removed.filter((key) => key in present.metadata);
  if (Object.keys(set).length === 0 && removed.length === 0) return protection;
  return [{ type: 'RecordingMetadataUpdated', data: { ...present.owner, set, removed } }, ...protection];
}

/** Only a deleted or expired recording's objects are deleted; confirmed again after a discarded render. */
function confirmObjectsDeleted(command: ConfirmObjectsDeleted, state: RecordingState): RecordingEvent[] {
  if (state.status === 'absent') throw new NotFoundError('no such recording');
  if (state.status === 'present') throw new IllegalStateError(`recording ${command.data.recordId} is not deleted; its objects stay`);
  return [{ type: 'RecordingObjectsDeleted', data: { ...state.owner, objects: command.data.objects, generation: command.data.generation } }];
}

function deleteRecording(command: DeleteRecording, state: RecordingState): RecordingEvent[] {
  if (state.status === 'gone' && isVisibleTo(state.owner, command.data.viewer)) return [];
  const present = existing(state, command.data.viewer);
  return [{ type: 'RecordingDeleted', data: { ...present.owner, reason: command.data.reason } }];
}

/** One request per profile not already underway; each restarts that profile's attempts. */
function rerender(command: RequestRerender, state: RecordingState): RecordingEvent[] {
  const present = existing(state, null);
  const profiles = [...new Set(command.data.profiles)];
  if (profiles.length === 0) throw new ValidationError('name at least one render profile', 'profiles');
  if (!('presentation' in present.formats)) throw new IllegalStateError(`recording ${present.owner.recordId} has no presentation format to render from`);
  return profiles
    .filter((profile) => present.renders[profile] !== 'requested')
    .map((profile) => ({ type: 'RecordingRenderRequested', data: { ...present.owner, profile, attempt: 1, by: 'operator' } }));
}

/** Expired once its start is `retentionDays` behind `now`; asked again after that, nothing happens. */
function expire(command: ExpireRecording, state: RecordingState, context: DecideContext): RecordingEvent[] {
  if (state.status === 'gone') return [];
  const present = existing(state, null);
  const { retentionDays } = command.data;
  const due = expiresAt(present.startTime, retentionDays);
  if (due === null || context.now.getTime() < due) {
    throw new IllegalStateError(`recording ${present.owner.recordId} is not due to expire under ${retentionDays} days of retention until ${due === null ? 'never' : new Date(due).toISOString()}`);
  }
  return [{ type: 'RecordingExpired', data: { ...present.owner, retentionDays } }];
}

/** The recording as `viewer` may act on it (null: a process acting for the system); else NotFoundError. */
function existing(state: RecordingState, viewer: Viewer | null): Present {
  if (state.status !== 'present' || (viewer !== null && !isVisibleTo(state.owner, viewer))) throw new NotFoundError('no such recording');
  return state;
}

export function decideImport(command: ImportCommand, state: ImportState, _context: DecideContext): ImportEvent[] {
  switch (command.type) {
    case 'RegisterUpload': {
      if (state.status === 'none') return [{ type: 'RecordingUploaded', data: { ...command.data } }];
      if (state.status === 'pending' && state.sha256 === command.data.sha256) return [];
      throw new IllegalStateError(`import ${command.data.importId} already exists`);
    }
    case 'CompleteImport':
      if (state.status !== 'pending') return [];
      return [{ type: 'RecordingImportCompleted', data: { importId: command.data.importId, recordIds: [...command.data.recordIds] } }];
    case 'FailImport':
      if (state.status !== 'pending') return [];
      return [{ type: 'RecordingImportFailed', data: { ...command.data, recordIds: [...command.data.recordIds] } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown import command ${JSON.stringify(unknown)}`);
    }
  }
}
