import { IMPORT_FAILURE_REASONS, RENDER_FAILURE_REASONS, type ImportEvent, type RecordingEvent } from '../recording/events.js';
import { Fields, type CatalogueEntries } from './fields.js';

const owner = (data: Fields) => ({ recordId: data.string('recordId'), tenant: data.string('tenant'), scope: data.string('scope') });
const owned = <T extends object>(data: Fields, rest: T) => Object.assign(owner(data), rest);

function objects(data: Fields, key: string): Fields[] {
  const list = data.array(key);
  return list.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new TypeError(`data.${key}[${i}] must be an object`);
    return new Fields(item as Record<string, unknown>);
  });
}

const storedFile = (f: Fields) => ({ path: f.string('path'), bytes: f.count('bytes'), sha256: f.string('sha256') });

function playback(data: Fields) {
  const p = data.nullableObject('playback');
  if (!p) throw new TypeError('data.playback must be an object');
  return {
    format: p.string('format'),
    playbackPath: p.string('playbackPath'),
    processingTimeMs: p.number('processingTimeMs'),
    durationMs: p.number('durationMs'),
    size: p.count('size'),
    previews: objects(p, 'previews').map((i) => ({ width: i.string('width'), height: i.string('height'), alt: i.string('alt'), path: i.string('path') })),
    files: objects(p, 'files').map(storedFile),
    manifest: p.string('manifest'),
  };
}

export const RECORDING_ENTRIES: CatalogueEntries<RecordingEvent> = {
  RecordingImported: {
    schemaVersion: 1,
    parse: (data) =>
      owned(data, {
        meetingID: data.string('meetingID'),
        internalMeetingID: data.string('internalMeetingID'),
        name: data.string('name'),
        isBreakout: data.boolean('isBreakout'),
        startTime: data.number('startTime'),
        endTime: data.number('endTime'),
        participants: data.count('participants'),
        rawSize: data.count('rawSize'),
        metadata: data.stringRecord('metadata'),
        importId: data.string('importId'),
        nodeId: data.nullableString('nodeId'),
        published: data.boolean('published'),
        playback: playback(data),
        replaced: data.boolean('replaced'),
      }),
  },
  RecordingPublished: { schemaVersion: 1, parse: (data) => owner(data) },
  RecordingUnpublished: { schemaVersion: 1, parse: (data) => owner(data) },
  RecordingMetadataUpdated: { schemaVersion: 1, parse: (data) => owned(data, { set: data.stringRecord('set'), removed: data.strings('removed') }) },
  RecordingProtectionChanged: { schemaVersion: 1, parse: (data) => owned(data, { protected: data.boolean('protected') }) },
  RecordingObjectsDeleted: { schemaVersion: 1, parse: (data) => owned(data, { objects: data.count('objects'), generation: data.count('generation') }) },
  RecordingRenderDiscarded: {
    schemaVersion: 1,
    parse: (data) => {
      const file = data.nullableObject('file');
      if (!file) throw new TypeError('data.file must be an object');
      return owned(data, { profile: data.string('profile'), file: storedFile(file) });
    },
  },
  RecordingDeleted: { schemaVersion: 1, parse: (data) => owned(data, { reason: data.oneOf('reason', ['api', 'admin'] as const) }) },
  RecordingExpired: { schemaVersion: 1, parse: (data) => owned(data, { retentionDays: data.count('retentionDays') }) },
  RecordingRenderRequested: {
    schemaVersion: 2,
    parse: (data, version) =>
      owned(data, { profile: data.string('profile'), attempt: data.count('attempt'), by: version < 2 ? 'process' : data.oneOf('by', ['process', 'operator'] as const) }),
  },
  RecordingRendered: {
    schemaVersion: 1,
    parse: (data) => {
      const file = data.nullableObject('file');
      if (!file) throw new TypeError('data.file must be an object');
      return owned(data, { profile: data.string('profile'), file: storedFile(file), durationSeconds: data.number('durationSeconds') });
    },
  },
  RecordingRenderFailed: {
    schemaVersion: 1,
    parse: (data) =>
      owned(data, {
        profile: data.string('profile'),
        attempt: data.count('attempt'),
        reason: data.oneOf('reason', RENDER_FAILURE_REASONS),
        detail: data.string('detail'),
      }),
  },
};

export const IMPORT_ENTRIES: CatalogueEntries<ImportEvent> = {
  RecordingUploaded: {
    schemaVersion: 1,
    parse: (data) => ({
      importId: data.string('importId'),
      nodeId: data.nullableString('nodeId'),
      source: data.oneOf('source', ['upload', 'spool'] as const),
      contentType: data.string('contentType'),
      bytes: data.count('bytes'),
      sha256: data.string('sha256'),
      stagedKey: data.string('stagedKey'),
    }),
  },
  RecordingImportCompleted: { schemaVersion: 1, parse: (data) => ({ importId: data.string('importId'), recordIds: data.strings('recordIds') }) },
  RecordingImportFailed: {
    schemaVersion: 1,
    parse: (data) => ({
      importId: data.string('importId'),
      reason: data.oneOf('reason', IMPORT_FAILURE_REASONS),
      detail: data.string('detail'),
      recordIds: data.strings('recordIds'),
      quarantineKey: data.nullableString('quarantineKey'),
    }),
  },
};
