import t from 'tap';
import { IllegalStateError, NotFoundError } from '../../../src/domain/errors.js';
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
  const update: RecordingCommand = { type: 'UpdateRecordingMetadata', data: { recordId, viewer: own, set: { origin: 'lms', course: 'b' }, removed: ['meetingName', 'absent'] } };
  spec.given([imported()]).when(update).then([{ type: 'RecordingMetadataUpdated', data: { ...owner, set: { course: 'b' }, removed: ['meetingName'] } }]);
  const same: RecordingCommand = { type: 'UpdateRecordingMetadata', data: { recordId, viewer: own, set: { origin: 'lms' }, removed: ['absent'] } };
  spec.given([imported()]).when(same).thenNothingHappens();
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
  const requested: RecordingEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1 } };
  spec.given([imported()]).when({ type: 'RequestRender', data: { recordId, profile: 'video', attempt: 1 } }).then([requested]);
  spec.given([imported(), requested]).when({ type: 'RequestRender', data: { recordId, profile: 'video', attempt: 1 } }).thenNothingHappens();
  const file = { path: `${recordId}.mp4`, bytes: 10, sha256: 'a'.repeat(64) };
  spec.given([imported(), requested]).when({ type: 'RecordRendered', data: { recordId, profile: 'video', file, durationSeconds: 120 } }).then([
    { type: 'RecordingRendered', data: { ...owner, profile: 'video', file, durationSeconds: 120 } },
  ]);
  spec.given([imported()]).when({ type: 'RecordRenderFailed', data: { recordId, profile: 'video', attempt: 1, reason: 'timeout', detail: 'd' } }).thenNothingHappens();
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
