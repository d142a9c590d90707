import t from 'tap';
import { decodeEvent, EventDecodeError, type DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { imported, owner } from './recordingFixtures.js';
import { storedEvent } from '../../support/events.js';

const samples: DomainEvent[] = [
  imported(),
  { type: 'RecordingPublished', data: owner },
  { type: 'RecordingUnpublished', data: owner },
  { type: 'RecordingMetadataUpdated', data: { ...owner, set: { a: 'b' }, removed: ['c'] } },
  { type: 'RecordingProtectionChanged', data: { ...owner, protected: true } },
  { type: 'RecordingDeleted', data: { ...owner, reason: 'admin' } },
  { type: 'RecordingObjectsDeleted', data: { ...owner, objects: 12, generation: 2 } },
  { type: 'RecordingRenderDiscarded', data: { ...owner, profile: 'video', file: { path: 'r.mp4', bytes: 9, sha256: 'ab' } } },
  { type: 'RecordingExpired', data: { ...owner, retentionDays: 30 } },
  { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'process' } },
  { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'r.mp4', bytes: 9, sha256: 'ab' }, durationSeconds: 3.5 } },
  { type: 'RecordingRenderFailed', data: { ...owner, profile: 'composite', attempt: 2, reason: 'noInput', detail: 'no deskshare' } },
  { type: 'RecordingUploaded', data: { importId: 'i', nodeId: null, source: 'spool', contentType: 'application/x-tar', bytes: 1, sha256: 'a', stagedKey: '.imports/i' } },
  { type: 'RecordingImportCompleted', data: { importId: 'i', recordIds: ['r'] } },
  { type: 'RecordingImportFailed', data: { importId: 'i', reason: 'badArchive', detail: 'd', recordIds: [], quarantineKey: null } },
];

const stored = (event: { type: string; data: unknown }) => storedEvent(event.type, JSON.parse(JSON.stringify(event.data)), { schemaVersion: 1 });

t.test('every recording and import event / decodes back to itself from stored JSON', async (t) => {
  for (const event of samples) t.same(decodeEvent(stored(event)), event, event.type);
});

t.test('a stored recording event of the wrong shape / refused with the field named', async (t) => {
  t.throws(() => decodeEvent(stored({ type: 'RecordingImportFailed', data: { importId: 'i', reason: 'gremlins', detail: 'd', recordIds: [], quarantineKey: null } })), EventDecodeError);
  const { playback: _p, ...withoutPlayback } = imported().data;
  t.throws(() => decodeEvent(stored({ type: 'RecordingImported', data: withoutPlayback })), /playback/);
});
