import t from 'tap';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { projectRecordingList, type RecordingQuery } from '../../src/projections/recordingList.js';
import { InMemoryRecordingList, metaMatches } from '../../src/projections/recordingListMemory.js';
import { imported, owner, recordId } from '../domain/recording/recordingFixtures.js';
import { IMPORT_EVENT_TYPES } from '../../src/domain/recording/events.js';
import { eventLog } from '../support/events.js';

const log = eventLog({ actor: 't', at: '2026-12-04T10:00:00.000Z', schemaVersion: 1 });
const recorded = (event: DomainEvent, streamId = `recording-${recordId}`): RecordedEvent => log(event.type, event.data, { streamId });

const query = (overrides: Partial<RecordingQuery> = {}): RecordingQuery => ({
  viewer: { tenant: 'acme', scope: 'acme' },
  recordIds: undefined,
  meetingIDs: undefined,
  states: new Set(['published', 'unpublished']),
  meta: [],
  page: undefined,
  ...overrides,
});

/** Applies the events once, then all of them again: the second pass must change nothing. */
function modelOf(events: DomainEvent[]): InMemoryRecordingList {
  const model = new InMemoryRecordingList();
  const ops = events.map((e) => projectRecordingList(recorded(e, (IMPORT_EVENT_TYPES as readonly string[]).includes(e.type) ? 'import-imp-1' : `recording-${recordId}`))).flat();
  model.apply(ops);
  const once = JSON.stringify([model.get(recordId), model.imports({})]);
  model.apply(ops);
  t.equal(JSON.stringify([model.get(recordId), model.imports({})]), once, 'applied twice is a no-op');
  return model;
}

t.test('every recording event type / reaches the view', async (t) => {
  const model = modelOf([
    imported(),
    imported('video', 'v1'),
    { type: 'RecordingUnpublished', data: owner },
    { type: 'RecordingMetadataUpdated', data: { ...owner, set: { course: 'b' }, removed: ['origin'] } },
    { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'process' } },
    { type: 'RecordingRenderFailed', data: { ...owner, profile: 'video', attempt: 1, reason: 'timeout', detail: 'd' } },
    { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 5, sha256: 'a' }, durationSeconds: 120 } },
    { type: 'RecordingProtectionChanged', data: { ...owner, protected: true } },
    { type: 'RecordingRenderDiscarded', data: { ...owner, profile: 'composite', file: { path: 'y.mp4', bytes: 5, sha256: 'a' } } },
  ]);
  const view = model.get(recordId)!;
  t.equal(view.state, 'unpublished');
  t.equal(view.protected, true, 'its own protection');
  t.equal(modelOf([imported()]).get(recordId)!.protected, null, 'none of its own: the tenant’s default decides');
  t.same(view.formats.map((f) => f.format), ['presentation', 'video']);
  t.same(view.metadata, { meetingId: 'room 1', meetingName: 'Room One', course: 'b' });
  t.same(view.renders, [{ profile: 'video', file: { path: 'x.mp4', bytes: 5, sha256: 'a' }, durationSeconds: 120 }]);
  t.equal(modelOf([imported(), { type: 'RecordingPublished', data: owner }]).get(recordId)!.state, 'published');
  t.equal(modelOf([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }, { type: 'RecordingObjectsDeleted', data: { ...owner, objects: 3, generation: 1 } }]).get(recordId)!.state, 'deleted');
  const expired = modelOf([imported(), { type: 'RecordingExpired', data: { ...owner, retentionDays: 30 } }, { type: 'RecordingPublished', data: owner }]);
  t.equal(expired.get(recordId), undefined, 'an expired recording is gone, later events included');
  t.equal(expired.find({ viewer: { tenant: 'acme', scope: null }, recordIds: undefined, meetingIDs: undefined, states: 'any', meta: [], page: undefined }).total, 0, 'even for state=any');
  t.equal(modelOf([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }, { type: 'RecordingPublished', data: owner }]).get(recordId)!.state, 'deleted', 'deleted stays deleted');
});

t.test('every import event type / the import status', async (t) => {
  const upload = { importId: 'imp-1', nodeId: 'node-a', source: 'upload' as const, contentType: 'application/x-tar', bytes: 10, sha256: 'a', stagedKey: '.imports/imp-1' };
  const pending = modelOf([{ type: 'RecordingUploaded', data: upload }]);
  t.equal(pending.importOf('imp-1')!.state, 'pending');
  const done = modelOf([{ type: 'RecordingUploaded', data: upload }, { type: 'RecordingImportCompleted', data: { importId: 'imp-1', recordIds: [recordId] } }]);
  t.same([done.importOf('imp-1')!.state, done.importOf('imp-1')!.recordIds], ['imported', [recordId]]);
  const failed = modelOf([
    { type: 'RecordingUploaded', data: upload },
    { type: 'RecordingImportFailed', data: { importId: 'imp-1', reason: 'unknownMeeting', detail: 'd', recordIds: [recordId], quarantineKey: '.quarantine/imp-1' } },
  ]);
  t.same(failed.imports({ state: 'failed' }).map((i) => [i.reason, i.quarantineKey]), [['unknownMeeting', '.quarantine/imp-1']]);
});

t.test('find / scope, states, meeting ids, prefixes, meta and pages', async (t) => {
  const model = modelOf([imported()]);
  t.equal(model.find(query()).total, 1);
  t.equal(model.find(query({ viewer: { tenant: 'acme', scope: 'acme-007' } })).total, 1, 'its own scope');
  t.equal(model.find(query({ viewer: { tenant: 'acme', scope: 'acme-008' } })).total, 0, 'another sub-secret');
  t.equal(model.find(query({ viewer: { tenant: 'globex', scope: 'globex' } })).total, 0, 'another tenant');
  t.equal(model.find(query({ states: new Set(['unpublished']) })).total, 0);
  t.equal(model.find(query({ states: 'any' })).total, 1);
  t.equal(model.find(query({ meetingIDs: ['room 1'] })).total, 1);
  t.equal(model.find(query({ meetingIDs: ['room 2'] })).total, 0);
  t.equal(model.find(query({ recordIds: [recordId.slice(0, 5)], meetingIDs: ['room 2'] })).total, 1, 'recordID wins over meetingID');
  t.equal(model.find(query({ recordIds: ['zz'] })).total, 0);
  t.equal(model.find(query({ meta: [['origin', 'l%']] })).total, 1);
  t.equal(model.find(query({ meta: [['origin', 'l%'], ['meetingname', 'Other']] })).total, 0, 'filters are ANDed');
  t.same(model.find(query({ page: { offset: 1, limit: 10 } })), { total: 1, recordings: [] });
});

t.test('BBB meta wildcards / % at the start, the end or both', async (t) => {
  const meta = { origin: 'moodle-prod' };
  t.ok(metaMatches(meta, 'origin', 'moodle-prod'));
  t.ok(metaMatches(meta, 'origin', 'moodle%'));
  t.ok(metaMatches(meta, 'origin', '%prod'));
  t.ok(metaMatches(meta, 'origin', '%dle-p%'));
  t.notOk(metaMatches(meta, 'origin', 'moodle'));
  t.notOk(metaMatches(meta, 'absent', '%'));
  t.ok(metaMatches({ meetingName: 'x' }, 'meetingname', 'x'), 'keys compare case-insensitively');
});
