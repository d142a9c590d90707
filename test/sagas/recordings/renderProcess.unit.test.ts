import t from 'tap';
import { evolveRenderView, reactToRenderEvent, renderKey, type RenderView } from '../../../src/sagas/recordings/renderProcess.js';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { imported, owner, recordId } from '../../domain/recording/recordingFixtures.js';

const profiles = ['video', 'composite'];
const fold = (events: DomainEvent[]): RenderView => events.reduce((view, e) => evolveRenderView(view, e, profiles), new Map() as RenderView);
const status = (view: RenderView, profile: string) => view.get(renderKey(recordId, profile))?.status;

t.test('an imported presentation / owes one render per profile and asks for them', async (t) => {
  const view = fold([imported()]);
  t.same([status(view, 'video'), status(view, 'composite')], ['owed', 'owed']);
  t.same(reactToRenderEvent(imported(), profiles), [
    { kind: 'render', recordId, profile: 'video' },
    { kind: 'render', recordId, profile: 'composite' },
  ]);
});

t.test('another format / owes nothing', async (t) => {
  t.equal(fold([imported('video', 'v1')]).size, 0);
  t.same(reactToRenderEvent(imported('video', 'v1'), profiles), []);
});

t.test('requested, rendered, failed, deleted / each moves its task', async (t) => {
  const requested: DomainEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 2, by: 'process' } };
  const view = fold([imported(), requested]);
  t.equal(status(view, 'video'), 'requested');
  t.equal(view.get(renderKey(recordId, 'video'))!.attempts, 2);
  t.equal(status(fold([imported(), requested, { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 1, sha256: 'a' }, durationSeconds: 1 } }]), 'video'), 'rendered');
  t.equal(status(fold([imported(), requested, { type: 'RecordingRenderFailed', data: { ...owner, profile: 'video', attempt: 2, reason: 'timeout', detail: 'd' } }]), 'video'), 'failed');
  t.equal(status(fold([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }]), 'composite'), 'gone');
});

t.test('a replaced presentation after its render / is owed again', async (t) => {
  const rendered: DomainEvent = { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 1, sha256: 'a' }, durationSeconds: 1 } };
  t.equal(status(fold([imported(), rendered, imported('presentation', 'm2', { replaced: true })]), 'video'), 'owed');
});
