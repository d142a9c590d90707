import t from 'tap';
import { IllegalStateError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { ImportCommand, RecordingCommand, Viewer } from '../../../src/domain/recording/commands.js';
import { decideImport, decideRecording } from '../../../src/domain/recording/decide.js';
import type { ImportEvent, RecordingEvent } from '../../../src/domain/recording/events.js';
import { evolveImport, evolveRecording, initialImportState, initialRecordingState, type ImportState, type RecordingState } from '../../../src/domain/recording/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';
import { imported, importFormat, owner, recordId } from './recordingFixtures.js';

const spec = deciderSpec<RecordingCommand, RecordingEvent, RecordingState>({ decide: decideRecording, evolve: evolveRecording, initialState: initialRecordingState });
const imports = deciderSpec<ImportCommand, ImportEvent, ImportState>({ decide: decideImport, evolve: evolveImport, initialState: initialImportState });

const own: Viewer = { tenant: 'acme', scope: 'acme-007' };
const main: Viewer = { tenant: 'acme', scope: 'acme' };
const otherSub: Viewer = { tenant: 'acme', scope: 'acme-008' };
const otherTenant: Viewer = { tenant: 'globex', scope: 'globex' };
const publish = (publish: boolean, viewer = own): RecordingCommand => ({ type: 'PublishRecording', data: { recordId, viewer, publish } });

t.test('when a format is imported for the first time / it is imported as the upload says', async () => {
  spec.given([]).when(importFormat()).then([imported()]);
});

t.test('when the same files of a format arrive again / nothing happens (re-upload is a no-op)', async () => {
  spec.given([imported()]).when(importFormat()).thenNothingHappens();
});

t.test('when other files of an imported format arrive / the format is replaced, explicitly', async () => {
  spec.given([imported()]).when(importFormat('presentation', 'm2')).then([imported('presentation', 'm2', { replaced: true })]);
});

t.test('when a second format arrives after an unpublish / it follows the unpublish, not its metadata.xml', async () => {
  spec
    .given([imported(), { type: 'RecordingUnpublished', data: owner }])
    .when(importFormat('video', 'v1', true))
    .then([imported('video', 'v1', { published: false })]);
});

t.test('when a deleted recording is uploaded again / the import is refused', async () => {
  spec.given([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }]).when(importFormat()).thenThrows(IllegalStateError, /deleted/);
});

t.test('publishRecordings / by the owner scope or the main secret, not another scope or tenant', async () => {
  spec.given([imported()]).when(publish(false)).then([{ type: 'RecordingUnpublished', data: owner }]);
  spec.given([imported()]).when(publish(false, main)).then([{ type: 'RecordingUnpublished', data: owner }]);
  spec.given([imported()]).when(publish(false, otherSub)).thenThrows(NotFoundError);
  spec.given([imported()]).when(publish(false, otherTenant)).thenThrows(NotFoundError);
  spec.given([]).when(publish(true)).thenThrows(NotFoundError);
});

t.test('publishing an already published recording / records the explicit choice once', async () => {
  spec.given([imported()]).when(publish(true)).then([{ type: 'RecordingPublished', data: owner }]);
  spec.given([imported(), { type: 'RecordingPublished', data: owner }]).when(publish(true)).thenNothingHappens();
});

t.test('updateRecordings / sets changed keys and removes present ones only', async () => {
  const update: RecordingCommand = { type: 'UpdateRecording', data: { recordId, viewer: own, set: { origin: 'lms', course: 'b' }, removed: ['meetingName', 'absent'] } };
  spec.given([imported()]).when(update).then([{ type: 'RecordingMetadataUpdated', data: { ...owner, set: { course: 'b' }, removed: ['meetingName'] } }]);
  const same: RecordingCommand = { type: 'UpdateRecording', data: { recordId, viewer: own, set: { origin: 'lms' }, removed: ['absent'] } };
  spec.given([imported()]).when(same).thenNothingHappens();
});

const protect = (value: boolean, set: Record<string, string> = {}, viewer = own): RecordingCommand => ({ type: 'UpdateRecording', data: { recordId, viewer, set, removed: [], protect: value } });
const protectedEvent = (value: boolean): RecordingEvent => ({ type: 'RecordingProtectionChanged', data: { ...owner, protected: value } });

t.test('when updateRecordings says protect / the recording’s own protection is recorded, once, beside its metadata', async () => {
  spec.given([imported()]).when(protect(true)).then([protectedEvent(true)]);
  spec.given([imported(), protectedEvent(true)]).when(protect(true)).thenNothingHappens();
  spec.given([imported(), protectedEvent(true)]).when(protect(false)).then([protectedEvent(false)]);
  // false is recorded even when nothing was set: it pins the recording against a later tenant default of true.
  spec.given([imported()]).when(protect(false)).then([protectedEvent(false)]);
  spec.given([imported()]).when(protect(true, { course: 'b' })).then([{ type: 'RecordingMetadataUpdated', data: { ...owner, set: { course: 'b' }, removed: [] } }, protectedEvent(true)]);
  spec.given([imported()]).when(protect(true, {}, otherTenant)).thenThrows(NotFoundError);
});

t.test('deleteRecordings / deletes once; a deleted recording is gone for publish', async () => {
  const del: RecordingCommand = { type: 'DeleteRecording', data: { recordId, viewer: own, reason: 'api' } };
  const deleted: RecordingEvent = { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } };
  spec.given([imported()]).when(del).then([deleted]);
  spec.given([imported(), deleted]).when(del).thenNothingHappens();
  spec.given([imported(), deleted]).when(publish(true)).thenThrows(NotFoundError);
  spec.given([imported()]).when({ type: 'DeleteRecording', data: { recordId, viewer: otherTenant, reason: 'api' } }).thenThrows(NotFoundError);
});

t.test('render steps / requested once, rendered or failed while requested', async () => {
  const requested: RecordingEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'process' } };
  spec.given([imported()]).when({ type: 'RequestRender', data: { recordId, profile: 'video', attempt: 1 } }).then([requested]);
  spec.given([imported(), requested]).when({ type: 'RequestRender', data: { recordId, profile: 'video', attempt: 1 } }).thenNothingHappens();
  const file = { path: `${recordId}.mp4`, bytes: 10, sha256: 'a'.repeat(64) };
  spec.given([imported(), requested]).when({ type: 'RecordRendered', data: { recordId, profile: 'video', file, durationSeconds: 120 } }).then([
    { type: 'RecordingRendered', data: { ...owner, profile: 'video', file, durationSeconds: 120 } },
  ]);
  spec.given([imported()]).when({ type: 'RecordRenderFailed', data: { recordId, profile: 'video', attempt: 1, reason: 'timeout', detail: 'd' } }).thenNothingHappens();
});

t.test('when a render finishes after its recording was deleted / it is discarded (its MP4 owed a deletion), never rendered', async () => {
  const requested: RecordingEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'process' } };
  const deleted: RecordingEvent = { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } };
  const file = { path: `${recordId}.mp4`, bytes: 10, sha256: 'a'.repeat(64) };
  spec.given([imported(), requested, deleted]).when({ type: 'RecordRendered', data: { recordId, profile: 'video', file, durationSeconds: 120 } }).then([
    { type: 'RecordingRenderDiscarded', data: { ...owner, profile: 'video', file } },
  ]);
  spec.given([imported(), requested, deleted]).when({ type: 'RecordRenderFailed', data: { recordId, profile: 'video', attempt: 1, reason: 'timeout', detail: 'd' } }).thenNothingHappens();
});

t.test('when the objects of a recording are confirmed deleted / only a gone recording’s, each time asked', async () => {
  const confirm: RecordingCommand = { type: 'ConfirmObjectsDeleted', data: { recordId, objects: 7, generation: 1 } };
  const deleted: RecordingEvent = { type: 'RecordingDeleted', data: { ...owner, reason: 'admin' } };
  spec.given([imported(), deleted]).when(confirm).then([{ type: 'RecordingObjectsDeleted', data: { ...owner, objects: 7, generation: 1 } }]);
  spec.given([imported(), { type: 'RecordingExpired', data: { ...owner, retentionDays: 3 } }]).when(confirm).then([{ type: 'RecordingObjectsDeleted', data: { ...owner, objects: 7, generation: 1 } }]);
  spec.given([imported()]).when(confirm).thenThrows(IllegalStateError, /not deleted/);
  spec.given([]).when(confirm).thenThrows(NotFoundError);
});

const day = 86_400_000;
const startTime = 1700000000000;
const expire = (retentionDays: number): RecordingCommand => ({ type: 'ExpireRecording', data: { recordId, retentionDays } });
const expired: RecordingEvent = { type: 'RecordingExpired', data: { ...owner, retentionDays: 30 } };

t.test('when a recording is as old as its retention / it expires, once', async () => {
  spec.given([imported()]).when(expire(30), new Date(startTime + 30 * day)).then([expired]);
  spec.given([imported(), expired]).when(expire(30), new Date(startTime + 31 * day)).thenNothingHappens();
});

t.test('when a recording is younger than its retention / expiring it is refused, saying when it is due', async () => {
  spec.given([imported()]).when(expire(30), new Date(startTime + 30 * day - 1)).thenThrows(IllegalStateError, /not due .* until 2023-12-14T22:13:20.000Z/);
});

t.test('when a deleted recording comes due / nothing happens; an unknown one is not found', async () => {
  spec.given([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }]).when(expire(1), new Date(startTime + 2 * day)).thenNothingHappens();
  spec.given([]).when(expire(1)).thenThrows(NotFoundError);
});

t.test('when an expired recording is uploaded again / the import is refused like a deleted one', async () => {
  spec.given([imported(), expired]).when(importFormat()).thenThrows(IllegalStateError, /deleted/);
});

const rerender = (profiles: string[]): RecordingCommand => ({ type: 'RequestRerender', data: { recordId, profiles } });
const operatorAsked = (profile: string): RecordingEvent => ({ type: 'RecordingRenderRequested', data: { ...owner, profile, attempt: 1, by: 'operator' } });

t.test('when an operator asks for renders / one request per profile, whatever rendered or failed before', async () => {
  const rendered: RecordingEvent = { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 1, sha256: 'a' }, durationSeconds: 1 } };
  const failed: RecordingEvent = { type: 'RecordingRenderFailed', data: { ...owner, profile: 'composite', attempt: 6, reason: 'timeout', detail: 'd' } };
  spec.given([imported(), rendered, failed]).when(rerender(['video', 'composite', 'video'])).then([operatorAsked('video'), operatorAsked('composite')]);
});

t.test('when a render is already underway / the operator’s request for it adds nothing', async () => {
  const underway: RecordingEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 2, by: 'process' } };
  spec.given([imported(), underway]).when(rerender(['video'])).thenNothingHappens();
  spec.given([imported(), underway]).when(rerender(['video', 'composite'])).then([operatorAsked('composite')]);
});

t.test('when there is nothing to render / no profile, no presentation, or no recording: refused', async () => {
  spec.given([imported()]).when(rerender([])).thenThrows(ValidationError, /profile/);
  spec.given([imported('video', 'v1')]).when(rerender(['video'])).thenThrows(IllegalStateError, /no presentation/);
  spec.given([imported(), expired]).when(rerender(['video'])).thenThrows(NotFoundError);
});

const upload = { importId: 'imp-1', nodeId: 'node-a', source: 'upload' as const, contentType: 'application/x-tar', bytes: 10, sha256: 'a'.repeat(64), stagedKey: '.imports/imp-1' };

t.test('an upload / registers once, then completes or fails once', async () => {
  const uploaded: ImportEvent = { type: 'RecordingUploaded', data: upload };
  imports.given([]).when({ type: 'RegisterUpload', data: upload }).then([uploaded]);
  imports.given([uploaded]).when({ type: 'RegisterUpload', data: upload }).thenNothingHappens();
  imports.given([uploaded]).when({ type: 'RegisterUpload', data: { ...upload, sha256: 'b'.repeat(64) } }).thenThrows(IllegalStateError);
  imports.given([uploaded]).when({ type: 'CompleteImport', data: { importId: 'imp-1', recordIds: [recordId] } }).then([
    { type: 'RecordingImportCompleted', data: { importId: 'imp-1', recordIds: [recordId] } },
  ]);
  const failed: ImportEvent = { type: 'RecordingImportFailed', data: { importId: 'imp-1', reason: 'unknownMeeting', detail: 'd', recordIds: [recordId], quarantineKey: '.quarantine/imp-1' } };
  imports.given([uploaded]).when({ type: 'FailImport', data: failed.data }).then([failed]);
  imports.given([uploaded, failed]).when({ type: 'CompleteImport', data: { importId: 'imp-1', recordIds: [] } }).thenNothingHappens();
});
