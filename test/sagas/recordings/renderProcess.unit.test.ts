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

const operator = (profile: string): DomainEvent => ({ type: 'RecordingRenderRequested', data: { ...owner, profile, attempt: 1, by: 'operator' } });
const renderedVideo: DomainEvent = { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 1, sha256: 'a' }, durationSeconds: 1 } };

t.test('given a rendered profile / when an operator asks for it again / then it is owed from a fresh round of attempts and asked for', async (t) => {
  const view = fold([imported(), renderedVideo, operator('video')]);
  t.same({ ...view.get(renderKey(recordId, 'video'))!, files: [] }, { owner, profile: 'video', files: [], status: 'owed', attempts: 0, round: 1 });
  t.same(reactToRenderEvent(operator('video'), profiles), [{ kind: 'render', recordId, profile: 'video' }]);
});

t.test('given an operator’s request / when the process’s own request of that round follows / then it is requested as usual', async (t) => {
  const own: DomainEvent = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 2, by: 'process' } };
  t.equal(status(fold([imported(), renderedVideo, operator('video'), own]), 'video'), 'requested');
});

t.test('given a profile outside RENDER_PROFILES / when an operator asks for it / then it is owed with the presentation’s files', async (t) => {
  const view = fold([imported(), operator('square')]);
  t.same(view.get(renderKey(recordId, 'square'))?.files, imported().data.playback.files);
  t.equal(view.get(renderKey(recordId, 'square'))?.round, 1);
});

t.test('given a deleted recording / when an operator’s request is replayed / then it stays gone', async (t) => {
  t.equal(status(fold([imported(), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }, operator('video')]), 'video'), 'gone');
});

t.test('given a rendered presentation / when another is imported in its place / then a new round renders it', async (t) => {
  t.equal(fold([imported(), renderedVideo, imported('presentation', 'm2', { replaced: true })]).get(renderKey(recordId, 'video'))?.round, 1);
});
