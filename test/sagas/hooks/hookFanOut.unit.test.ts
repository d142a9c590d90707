import { createHash } from 'node:crypto';
import t from 'tap';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import type { MeetingCreated } from '../../../src/domain/meeting/events.js';
import type { Hook } from '../../../src/domain/tenant/hooks.js';
import { evolveHookFanOut, initialHookFanOutState, reactToHookFanOut, type HookFanOutInput } from '../../../src/sagas/hooks/hookFanOut.js';

const options = { domain: 'lb.example' };
const AT = '2026-12-04T10:00:00.000Z';
let n = 0;
const ev = (event: DomainEvent, eventId = `e${++n}`): HookFanOutInput => ({ kind: 'event', event, eventId, at: AT });
const caughtUp: HookFanOutInput = { kind: 'caughtUp' };

const tenant = (name: string, secrets: Array<[string, number]>): HookFanOutInput[] => [
  ev({ type: 'TenantRegistered', data: { tenant: name } }),
  ...secrets.map(([secret, subId]) => ev({ type: 'TenantSecretAdded', data: { tenant: name, secretId: secret.slice(0, 12), secret, subId } })),
];
const hook = (hookID: number, more: Partial<Hook> = {}): HookFanOutInput =>
  ev({ type: 'HookCreated', data: { tenant: 'acme', hookID, scope: 'acme', callbackURL: `https://lms.example/h${hookID}`, meetingID: null, eventIDs: null, ...more } });
const created = (scope: string, meetingID: string, eventId: string, tenantName = 'acme'): HookFanOutInput =>
  ev(
    {
      type: 'MeetingCreated',
      data: {
        tenant: tenantName, scope, meetingID, nodeId: 'n1', nodeMeetingID: `${scope}/${meetingID}`, internalMeetingID: `int-${meetingID}`, createTime: 1_780_000_000_000,
        attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '70001', dialNumber: '613', name: 'Room', metadata: { origin: 'lms' }, params: { record: 'true' },
      } satisfies MeetingCreated['data'],
    },
    eventId,
  );
const ended = (scope: string, meetingID: string, eventId: string): HookFanOutInput =>
  ev({ type: 'MeetingEnded', data: { tenant: 'acme', scope, meetingID, nodeId: 'n1', reason: 'api', evidence: null } }, eventId);

/** given(inputs, live) / when(input) / then the requests asked for. */
const given = (history: HookFanOutInput[]) => ({
  when(input: HookFanOutInput) {
    const state = [...history, input].reduce((s, i) => evolveHookFanOut(s, i, options), initialHookFanOutState());
    return reactToHookFanOut(state, input);
  },
});
const base = [...tenant('acme', [['acme-main-secret-0001', 0], ['acme-sub7-secret-0001', 7]]), ...tenant('globex', [['globex-secret-000001', 0]])];

t.test('given a main-secret hook, live / when a sub\'s meeting is created / then one signed bbb-webhooks POST', async (t) => {
  const [request, ...more] = given([...base, hook(1), caughtUp]).when(created('acme-007', 'room', 'E1'));
  t.same(more, []);
  t.match(request, { deliveryId: 'hook-acme-1-E1', tenant: 'acme', scope: 'acme', hookID: 1, meetingScope: 'acme-007', meetingID: 'room', eventID: 'meeting-created', method: 'POST' });
  const form = new URLSearchParams(request!.body);
  t.equal(form.get('domain'), 'lb.example');
  t.equal(form.get('timestamp'), String(Date.parse(AT)));
  const [message] = JSON.parse(form.get('event')!) as Array<{ data: { id: string; attributes: { meeting: Record<string, unknown> } } }>;
  t.match(message!.data, { type: 'event', id: 'meeting-created', attributes: { meeting: { 'internal-meeting-id': 'int-room', 'external-meeting-id': 'room', name: 'Room', record: true, metadata: { origin: 'lms' } } } });
  const fields = { domain: 'lb.example', event: form.get('event'), timestamp: Date.parse(AT) };
  const checksum = createHash('sha1').update(`https://lms.example/h1${JSON.stringify(fields)}acme-main-secret-0001`).digest('hex');
  t.equal(request!.url, `https://lms.example/h1?checksum=${checksum}`, "checksum as bbb-webhooks computes it, with the hook's secret");
});

t.test('scope / a sub\'s hook sees only its sub\'s meetings; no hook sees another tenant\'s', async (t) => {
  const history = [...base, hook(1, { scope: 'acme-007' }), caughtUp];
  t.same(given(history).when(created('acme', 'main-room', 'E2')), [], "a sub's hook does not see the main scope's meeting");
  t.match(given(history).when(created('acme-007', 'room', 'E3')), [{ hookID: 1, url: /^https:\/\/lms\.example\/h1\?checksum=/ }]);
  t.same(given(history).when(created('globex', 'room', 'E4', 'globex')), [], "another tenant's meeting");
});

t.test('filters / meetingID and eventID', async (t) => {
  const history = [...base, hook(1, { meetingID: 'room' }), hook(2, { eventIDs: ['meeting-ended'] }), caughtUp, created('acme', 'room', 'E5')];
  t.same(given(history).when(created('acme', 'other', 'E6')).map((r) => r.hookID), [], 'hook 1 only its meeting, hook 2 only meeting-ended');
  const endings = given(history).when(ended('acme', 'room', 'E7'));
  t.same(endings.map((r) => r.hookID), [1, 2]);
  const [message] = JSON.parse(new URLSearchParams(endings[0]!.body).get('event')!) as Array<{ data: unknown }>;
  t.match(message!.data, { id: 'meeting-ended', attributes: { meeting: { 'internal-meeting-id': 'int-room', 'external-meeting-id': 'room' } } });
});

t.test('replay / nothing is asked while the log is replayed; at catch-up only what was not yet requested', async (t) => {
  const meeting1 = created('acme', 'r1', 'E8');
  const meeting2 = created('acme', 'r2', 'E9');
  const requestedFor1 = given([...base, hook(1), caughtUp]).when(meeting1)[0]!;
  const history = [...base, hook(1), meeting1, ev({ type: 'HookDeliveryRequested', data: requestedFor1 }), meeting2];
  t.same(given(history.slice(0, -1)).when(meeting2), [], 'not live yet');
  t.same(given(history).when(caughtUp).map((r) => r.deliveryId), ['hook-acme-1-E9'], 'only the one never requested');
});

t.test('destroyed hooks and revoked secrets / nothing is sent', async (t) => {
  const destroyed = ev({ type: 'HookDestroyed', data: { tenant: 'acme', hookID: 1, scope: 'acme' } });
  t.same(given([...base, hook(1), destroyed, caughtUp]).when(created('acme', 'r', 'E10')), []);
  const revoked = ev({ type: 'TenantSecretRevoked', data: { tenant: 'acme', secretId: 'acme-sub7-se' } });
  t.same(given([...base, hook(2, { scope: 'acme-007' }), revoked, caughtUp]).when(created('acme-007', 'r', 'E11')), [], 'nobody left to verify the checksum');
});

t.test('failover / meeting-ended names the internal id of the node the meeting moved to', async (t) => {
  const moved = ev({
    type: 'MeetingMoved',
    data: {
      tenant: 'acme', scope: 'acme', meetingID: 'r', from: 'n1', to: 'n2', cause: 'nodeOffline', nodeMeetingID: 'acme/r', internalMeetingID: 'int-moved', createTime: 1,
      attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '2', name: 'Room', metadata: {},
    },
  });
  const [request] = given([...base, hook(1), caughtUp, created('acme', 'r', 'E12'), moved]).when(ended('acme', 'r', 'E13'));
  t.match(JSON.parse(new URLSearchParams(request!.body).get('event')!)[0].data.attributes.meeting, { 'internal-meeting-id': 'int-moved' });
});
