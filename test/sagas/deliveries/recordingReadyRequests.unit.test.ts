import t from 'tap';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { evolveDeliveries, initialDeliveryProcessState, reactToDeliveries, type DeliveryInput } from '../../../src/sagas/deliveries/deliveryProcess.js';

const URL_ = 'https://lms.example/ready?token=t';
const params = (extra: Record<string, string> = {}): Record<string, string> => ({ meetingID: 'room', name: 'Room', ...extra });
const placed = (nodeMeetingID: string, p: Record<string, string>, scope = 'acme'): DomainEvent =>
  ({ type: 'MeetingPlaced', data: { tenant: 'acme', scope, meetingID: 'room', nodeId: 'n1', nodeMeetingID, params: p, body: null } }) as DomainEvent;
const answer = (nodeMeetingID: string, internalMeetingID: string) => ({ internalMeetingID, createTime: 1, attendeePW: null, moderatorPW: null, nodeMeetingID, name: 'Room', metadata: {} });
const created = (nodeMeetingID: string, internalMeetingID: string, p: Record<string, string> | null, scope = 'acme'): DomainEvent =>
  ({ type: 'MeetingCreated', data: { tenant: 'acme', scope, meetingID: 'room', nodeId: 'n1', ...answer(nodeMeetingID, internalMeetingID), params: p } }) as unknown as DomainEvent;
const moved = (nodeMeetingID: string, internalMeetingID: string): DomainEvent =>
  ({ type: 'MeetingMoved', data: { tenant: 'acme', scope: 'acme', meetingID: 'room', from: 'n1', to: 'n2', cause: 'nodeDown', ...answer(nodeMeetingID, internalMeetingID) } }) as unknown as DomainEvent;
const secret = (secretId: string, value: string, subId = 0): DomainEvent => ({ type: 'TenantSecretAdded', data: { tenant: 'acme', secretId, secret: value, subId } });
const imported = (recordId: string, internalMeetingID: string, importId: string, scope = 'acme'): DomainEvent => ({ type: 'RecordingImported', data: { recordId, tenant: 'acme', scope, meetingID: 'room', internalMeetingID, importId } }) as unknown as DomainEvent;
const completed = (importId: string, recordIds: string[]): DomainEvent => ({ type: 'RecordingImportCompleted', data: { importId, recordIds } });
const readyRequested = (recordId: string): DomainEvent => ({
  type: 'CallbackDeliveryRequested',
  data: { deliveryId: `ready-${recordId}`, tenant: 'acme', scope: 'acme', meetingID: 'room', kind: 'recordingReady', recordId, url: URL_, method: 'POST', body: 'signed_parameters=x', contentType: 'application/x-www-form-urlencoded' },
});

const given = (events: DomainEvent[]) => ({
  when: (input: DeliveryInput) => reactToDeliveries(events.reduce(evolveDeliveries, initialDeliveryProcessState()), input, { queuedPerTenant: 100 }),
});
const tick: DeliveryInput = { kind: 'tick', now: Date.parse('2026-12-04T10:00:00Z') };
const withUrl = params({ 'meta_bbb-recording-ready-url': URL_ });
const meeting = [secret('s1', 'main-secret'), secret('s2', 'newer-secret'), placed('acme-h', withUrl), created('acme-h', 'int-1', withUrl)];

t.test('given a meeting whose create named the URL / when its upload is complete / then the callback is asked for once, signed with the oldest active secret', async (t) => {
  const effects = given([...meeting, imported('int-1', 'int-1', 'i1')]).when(tick);
  t.same(effects, [], 'not while the upload is still importing');
  t.same(given([...meeting, imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])]).when(tick), [
    { kind: 'requestReady', id: 'ready-int-1#request', deliveryId: 'ready-int-1', recording: { recordId: 'int-1', tenant: 'acme', scope: 'acme', meetingID: 'room', url: URL_ }, secret: 'main-secret' },
  ]);
  t.same(given([...meeting, imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])]).when({ kind: 'event', event: completed('i1', ['int-1']) }), [], 'events alone ask nothing');
});

t.test('given the request was made / when the recording is imported again / then nothing more is asked, and its POST is attempted', async (t) => {
  const history = [...meeting, imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1']), readyRequested('int-1'), imported('int-1', 'int-1', 'i2'), completed('i2', ['int-1'])];
  t.same(given(history).when(tick), [
    { kind: 'deliver', id: 'ready-int-1#1', deliveryId: 'ready-int-1', url: URL_, method: 'POST', body: { text: 'signed_parameters=x', contentType: 'application/x-www-form-urlencoded' }, attempt: 1 },
  ]);
});

t.test('given bn, bbb and canvas variants / then bn wins; given none / then nothing is asked', async (t) => {
  const all = params({ 'meta_canvas-recording-ready-url': 'https://c/', 'meta_BN-recording-ready-url': 'https://bn/', 'meta_bbb-recording-ready-url': 'https://bbb/' });
  t.match(given([secret('s1', 'k'), placed('acme-h', all), created('acme-h', 'int-1', all), imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])]).when(tick), [{ recording: { url: 'https://bn/' } }]);
  t.same(given([secret('s1', 'k'), placed('acme-h', params()), created('acme-h', 'int-1', params()), imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])]).when(tick), []);
});

t.test('given a sub-secret meeting / then the sub\'s secret signs; given the oldest secret revoked / then the next one', async (t) => {
  const sub = [secret('s1', 'main'), secret('s7', 'sub-seven', 7), placed('acme-007-h', withUrl, 'acme-007'), created('acme-007-h', 'int-7', withUrl, 'acme-007'), imported('int-7', 'int-7', 'i7', 'acme-007'), completed('i7', ['int-7'])];
  t.match(given(sub).when(tick), [{ recording: { scope: 'acme-007' }, secret: 'sub-seven' }]);
  const revoked = [...meeting, { type: 'TenantSecretRevoked', data: { tenant: 'acme', secretId: 's1' } } as DomainEvent, imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])];
  t.match(given(revoked).when(tick), [{ secret: 'newer-secret' }]);
});

t.test('given a meeting moved by failover, and a v1 MeetingCreated without params / then the URL of its MeetingPlaced stands', async (t) => {
  const history = [secret('s1', 'k'), placed('acme-h', withUrl), created('acme-h', 'int-1', null), moved('acme-h', 'int-2'), imported('int-2', 'int-2', 'i1'), imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1', 'int-2'])];
  t.same(given(history).when(tick).map((e) => e.deliveryId), ['ready-int-2', 'ready-int-1']);
});

t.test('given a failed import / then nothing is asked', async (t) => {
  t.same(given([...meeting, imported('int-1', 'int-1', 'i1'), { type: 'RecordingImportFailed', data: { importId: 'i1', reason: 'badArchive', detail: '', recordIds: [], quarantineKey: null } }]).when(tick), []);
});

t.test('given a scope without an active secret / then the request waits unsigned; given a secret added later / then it is signed with it', async (t) => {
  const unsigned = [placed('acme-007-h', withUrl, 'acme-007'), created('acme-007-h', 'int-7', withUrl, 'acme-007'), imported('int-7', 'int-7', 'i7', 'acme-007'), completed('i7', ['int-7'])];
  t.match(given(unsigned).when(tick), [{ deliveryId: 'ready-int-7', secret: undefined }]);
  t.match(given([...unsigned, secret('s7', 'late-sub-secret', 7)]).when(tick), [{ deliveryId: 'ready-int-7', secret: 'late-sub-secret' }]);
});

t.test('given the meeting ended before its recording came / then the callback is still asked for', async (t) => {
  const ended = { type: 'MeetingEnded', data: { tenant: 'acme', scope: 'acme', meetingID: 'room', nodeId: 'n1', reason: 'api', evidence: null } } as DomainEvent;
  t.match(given([...meeting, ended, imported('int-1', 'int-1', 'i1'), completed('i1', ['int-1'])]).when(tick), [{ deliveryId: 'ready-int-1', secret: 'main-secret' }]);
});
