import t from 'tap';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { projectRecordingUsage, RecordingUsage } from '../../src/metrics/recordingUsage.js';
import { imported, owner, recordId } from '../domain/recording/recordingFixtures.js';
import { eventLog } from '../support/events.js';

const log = eventLog({ actor: 'system', streamId: `recording-${recordId}` });
const recorded = (event: { type: string; data: object }, at: string, schemaVersion = 1): RecordedEvent =>
  log(event.type, JSON.parse(JSON.stringify(event.data)), { at, schemaVersion });

/** given events at times / then the model: the projection and the model together, as the runner applies them. */
function given(events: Array<[{ type: string; data: object }, string]>, profiles = ['video']): RecordingUsage {
  const model = new RecordingUsage(profiles);
  for (const [event, at] of events) model.apply(projectRecordingUsage(recorded(event, at, event.type === 'RecordingRenderRequested' ? 2 : 1)));
  return model;
}

const T0 = '2026-12-05T10:00:00.000Z';
const later = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const now = (s: number) => Date.parse(T0) + s * 1000;
const rendered = { type: 'RecordingRendered', data: { ...owner, profile: 'video', file: { path: 'x.mp4', bytes: 500, sha256: 'a' }, durationSeconds: 1 } };

t.test('given imported formats and a render / then one recording with the bytes of every file and the MP4', async (t) => {
  const model = given([[imported(), T0], [imported('video', 'v1'), T0], [rendered, later(9)]]);
  t.same(model.tenants.get('acme'), { recordings: 1, bytes: 2048 + 2048 + 500 });
});

t.test('given a replaced format / then its bytes replace the old ones, not add to them', async (t) => {
  const bigger = imported('presentation', 'm2', { replaced: true, playback: { ...imported().data.playback, manifest: 'm2', files: [{ path: 'metadata.xml', bytes: 5000, sha256: 'b' }] } });
  t.same(given([[imported(), T0], [bigger, T0]]).tenants.get('acme'), { recordings: 1, bytes: 5000 });
});

t.test('given a deleted or expired recording / then it counts no more', async (t) => {
  t.same(given([[imported(), T0], [{ type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }, T0]]).tenants.get('acme'), { recordings: 0, bytes: 0 });
  t.same(given([[imported(), T0], [rendered, T0], [{ type: 'RecordingExpired', data: { ...owner, retentionDays: 1 } }, T0]]).tenants.get('acme'), { recordings: 0, bytes: 0 });
});

t.test('given an imported presentation / then one render per profile waits, aged from the import, until rendered', async (t) => {
  const waiting = given([[imported(), T0]], ['video', 'composite']);
  t.same(waiting.renderQueue(now(30)), { depth: 2, oldestAgeSeconds: 30 });
  t.same(given([[imported(), T0], [rendered, later(5)]]).renderQueue(now(30)), { depth: 0, oldestAgeSeconds: 0 });
  t.same(given([[imported('video', 'v1'), T0]]).renderQueue(now(30)).depth, 0, 'other formats owe no render');
});

t.test('given a failed render and an operator’s request / then the failure leaves the queue and the request joins it', async (t) => {
  const failed = { type: 'RecordingRenderFailed', data: { ...owner, profile: 'video', attempt: 6, reason: 'timeout', detail: 'd' } };
  const asked = { type: 'RecordingRenderRequested', data: { ...owner, profile: 'video', attempt: 1, by: 'operator' } };
  t.same(given([[imported(), T0], [failed, later(10)]]).renderQueue(now(30)).depth, 0);
  t.same(given([[imported(), T0], [failed, later(10)], [asked, later(20)]]).renderQueue(now(30)), { depth: 1, oldestAgeSeconds: 10 });
});

t.test('given uploads / then pending ones are the import queue, the oldest first', async (t) => {
  const uploaded = (importId: string) => ({ type: 'RecordingUploaded', data: { importId, nodeId: null, source: 'spool', contentType: 'application/x-tar', bytes: 1, sha256: 'a', stagedKey: `.imports/${importId}` } });
  const model = given([[uploaded('a'), T0], [uploaded('b'), later(10)], [{ type: 'RecordingImportCompleted', data: { importId: 'a', recordIds: [] } }, later(20)]]);
  t.same(model.importQueue(now(60)), { depth: 1, oldestAgeSeconds: 50 });
  const failed = { type: 'RecordingImportFailed', data: { importId: 'b', reason: 'badArchive', detail: 'd', recordIds: [], quarantineKey: null } };
  t.same(given([[uploaded('b'), T0], [failed, T0]]).importQueue(now(60)), { depth: 0, oldestAgeSeconds: 0 });
});
