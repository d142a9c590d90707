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

const joinedEv = (meetingID: string, moderators: number, viewers: number, eventId: string): HookFanOutInput =>
  ev({ type: 'MeetingJoined', data: { tenant: 'acme', scope: 'acme', meetingID, moderators, viewers, from: AT, to: AT } }, eventId);
const polledEv = (meetingID: string, participantCount: number, moderatorCount: number, eventId: string): HookFanOutInput =>
  ev({ type: 'MeetingParticipantsChanged', data: { tenant: 'acme', scope: 'acme', meetingID, nodeId: 'n1', at: AT, participantCount, moderatorCount, listenerCount: 0, voice: 0, video: 0, running: true } }, eventId);
const messagesOf = (requests: Array<{ body: string }>) =>
  requests.map((r) => (JSON.parse(new URLSearchParams(r.body).get('event')!) as Array<{ data: { id: string; attributes: { user?: Record<string, unknown> } } }>)[0]!.data);

t.test('joins / one user-joined per join we redirected, with its role and a seat id; ids tell the messages of one event apart', async (t) => {
  const requests = given([...base, hook(1), caughtUp, created('acme', 'room', 'E20')]).when(joinedEv('room', 1, 2, 'E21'));
  t.same(requests.map((r) => r.deliveryId), ['hook-acme-1-E21-u1', 'hook-acme-1-E21-u2', 'hook-acme-1-E21-u3']);
  t.same(requests.map((r) => r.eventID), ['user-joined', 'user-joined', 'user-joined']);
  t.match(messagesOf(requests), [
    { id: 'user-joined', attributes: { meeting: { 'internal-meeting-id': 'int-room', 'external-meeting-id': 'room' }, user: { 'internal-user-id': 'int-room-m1', role: 'MODERATOR', presenter: false } } },
    { attributes: { user: { 'internal-user-id': 'int-room-v1', role: 'VIEWER' } } },
    { attributes: { user: { 'internal-user-id': 'int-room-v2', role: 'VIEWER' } } },
  ]);
});

t.test('polls / the difference to what was announced: more as joins, fewer as leaves, a just-redirected user given one poll of grace', async (t) => {
  const start = [...base, hook(1), caughtUp, created('acme', 'room', 'E30'), joinedEv('room', 0, 2, 'E31')];
  t.same(given(start).when(polledEv('room', 1, 0, 'E32')), [], 'the second viewer is not in yet: no leave at the first poll');
  t.same(messagesOf(given([...start, polledEv('room', 1, 0, 'E32')]).when(polledEv('room', 1, 0, 'E33'))).map((m) => [m.id, m.attributes.user?.['internal-user-id']]), [['user-left', 'int-room-v2']], 'still missing at the next: left');
  t.same(messagesOf(given(start).when(polledEv('room', 4, 1, 'E34'))).map((m) => [m.id, m.attributes.user?.role]), [['user-joined', 'MODERATOR'], ['user-joined', 'VIEWER']], 'a dial-in moderator and a third viewer the node saw first');
  t.same(given([...start, polledEv('room', 2, 0, 'E35')]).when(polledEv('room', 2, 0, 'E36')), [], 'unchanged counts: nothing');
});

t.test('end / the seats still announced leave, then meeting-ended; a hook filtered on user-left gets only those', async (t) => {
  const history = [...base, hook(1), hook(2, { eventIDs: ['user-left'] }), caughtUp, created('acme', 'room', 'E40'), joinedEv('room', 1, 1, 'E41')];
  const requests = given(history).when(ended('acme', 'room', 'E42'));
  t.same(requests.filter((r) => r.hookID === 1).map((r) => [r.deliveryId, r.eventID]), [['hook-acme-1-E42-u1', 'user-left'], ['hook-acme-1-E42-u2', 'user-left'], ['hook-acme-1-E42', 'meeting-ended']]);
  t.same(requests.filter((r) => r.hookID === 2).map((r) => r.eventID), ['user-left', 'user-left']);
});

t.test('seats / counted while the tenant has no hook, so a hook created later sees the right changes', async (t) => {
  const history = [...base, caughtUp, created('acme', 'room', 'E50'), joinedEv('room', 0, 3, 'E51'), hook(1)];
  t.same(given(history).when(polledEv('room', 3, 0, 'E52')), [], 'the three joined before the hook: no news');
});

t.test('recordings / rap-publish-ended per imported format, with its playback link on PUBLIC_URL', async (t) => {
  const imported = ev(
    {
      type: 'RecordingImported',
      data: {
        recordId: 'rec-1', tenant: 'acme', scope: 'acme', meetingID: 'room', internalMeetingID: 'int-room', name: 'Room', isBreakout: false, startTime: 1, endTime: 2, participants: 3, rawSize: 100,
        metadata: { meetingId: 'room' }, importId: 'imp-1', nodeId: 'n1', published: true, replaced: false,
        playback: { format: 'presentation', playbackPath: '/playback/presentation/2.3/rec-1', processingTimeMs: 500, durationMs: 60_000, size: 42, previews: [], files: [], manifest: 'm' },
      },
    },
    'E60',
  );
  const state = [...base, hook(1), caughtUp, imported].reduce((s, i) => evolveHookFanOut(s, i, { ...options, publicUrl: 'https://lb.example' }), initialHookFanOutState());
  const requests = reactToHookFanOut(state, imported);
  t.same(requests.map((r) => [r.deliveryId, r.eventID]), [['hook-acme-1-E60', 'rap-publish-ended']]);
  t.match(messagesOf(requests)[0], {
    id: 'rap-publish-ended',
    attributes: { meeting: { 'internal-meeting-id': 'int-room', 'external-meeting-id': 'room' }, 'record-id': 'rec-1', success: true, workflow: 'presentation', recording: { name: 'Room', size: 42, 'raw-size': 100, playback: { format: 'presentation', link: 'https://lb.example/playback/presentation/2.3/rec-1' } } },
  });
});
