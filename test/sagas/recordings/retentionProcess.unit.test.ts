import t from 'tap';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { evolveRetention, initialRetentionView, reactToRetention, type RetentionInput } from '../../../src/sagas/recordings/retentionProcess.js';
import { imported, owner, recordId } from '../../domain/recording/recordingFixtures.js';

const day = 86_400_000;
const startTime = imported().data.startTime;
const policy = (retentionDays: number | null, tenant = 'acme'): DomainEvent => ({ type: 'TenantRecordingPolicyChanged', data: { tenant, retentionDays, protected: false } });

/** given(events) / when(input) / then(effects): the view is always the fold of the given events. */
const given = (events: DomainEvent[]) => ({ when: (input: RetentionInput) => reactToRetention(events.reduce(evolveRetention, initialRetentionView()), input) });
const tickAt = (ms: number): RetentionInput => ({ kind: 'tick', now: ms });
const expiry = { kind: 'expire', id: `expire-${recordId}`, recordId, tenant: 'acme', retentionDays: 30 };

t.test('given a 30-day retention / when a look comes 30 days after the start / then the recording expires, with a stable id', async (t) => {
  t.same(given([imported(), policy(30)]).when(tickAt(startTime + 30 * day)), [expiry]);
  t.same(given([policy(30), imported()]).when(tickAt(startTime + 31 * day)), [expiry], 'whichever came first');
});

t.test('given a 30-day retention / when a look comes a moment earlier / then nothing expires', async (t) => {
  t.same(given([imported(), policy(30)]).when(tickAt(startTime + 30 * day - 1)), []);
});

t.test('given no retention, or one lifted with null / then nothing ever expires', async (t) => {
  t.same(given([imported()]).when(tickAt(startTime + 9999 * day)), []);
  t.same(given([imported(), policy(30), policy(null)]).when(tickAt(startTime + 9999 * day)), []);
});

t.test('given another tenant’s retention / then this tenant’s recordings stay', async (t) => {
  t.same(given([imported(), policy(1, 'globex')]).when(tickAt(startTime + 9999 * day)), []);
});

t.test('given a recording deleted or expired / then it is not expired (again)', async (t) => {
  t.same(given([imported(), policy(1), { type: 'RecordingDeleted', data: { ...owner, reason: 'api' } }]).when(tickAt(startTime + 2 * day)), []);
  t.same(given([imported(), policy(1), { type: 'RecordingExpired', data: { ...owner, retentionDays: 1 } }]).when(tickAt(startTime + 2 * day)), []);
});

t.test('given a later format of the recording / then its first start counts, and it expires once', async (t) => {
  const later = imported('video', 'v1', { startTime: startTime + 5 * day });
  t.same(given([imported(), later, policy(30)]).when(tickAt(startTime + 30 * day)), [expiry]);
});

t.test('given anything / when an event arrives / then nothing is asked (a replay expires nothing by itself)', async (t) => {
  t.same(given([imported(), policy(1)]).when({ kind: 'event', event: policy(1) }), []);
});
