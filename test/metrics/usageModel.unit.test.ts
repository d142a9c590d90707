import t from 'tap';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { encodePosition } from '../../src/eventstore/position.js';
import { LogHead } from '../../src/metrics/logHead.js';
import { UsageModel } from '../../src/metrics/usageModel.js';
import { projectUsage } from '../../src/metrics/usageProjection.js';
import { eventLog, TEST_AT } from '../support/events.js';

const identity = { tenant: 'acme', scope: 'acme', meetingID: 'm1' };
const answer = { nodeMeetingID: 'acme-x', name: 'Room', metadata: {}, internalMeetingID: 'i', createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '7', dialNumber: '' };
const log = eventLog({ actor: 'system' });
const recorded = (streamId: string, type: string, data: object, at = TEST_AT): RecordedEvent => log(type, data, { streamId, at, schemaVersion: type === 'MeetingJoined' ? 2 : 1 });

/** given events / then the model: the projection and the model together, as the runner applies them. */
function given(events: RecordedEvent[]): { model: UsageModel; failovers: number[] } {
  const failovers: number[] = [];
  const model = new UsageModel((s) => failovers.push(s));
  for (const event of events) model.apply(projectUsage(event));
  return { model, failovers };
}

const created = recorded('meeting-acme-x', 'MeetingCreated', { ...identity, nodeId: 'n1', ...answer });
const joined = recorded('meeting-acme-x', 'MeetingJoined', { ...identity, moderators: 1, viewers: 2, from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:00:00.000Z' });
const polled = recorded('meeting-acme-x', 'MeetingParticipantsChanged', { ...identity, nodeId: 'n1', at: '2026-11-23T10:00:05.000Z', participantCount: 5, moderatorCount: 1, listenerCount: 1, voice: 2, video: 1, running: true });

t.test('given a tenant / then it reads zero before any meeting', async (t) => {
  t.same(given([recorded('tenant-acme', 'TenantRegistered', { tenant: 'acme' })]).model.tenants.get('acme'), { meetings: 0, participants: 0, voice: 0, video: 0 });
});

t.test('given a meeting, joins, then a poll / then the poll replaces the joins it saw', async (t) => {
  t.same(given([created, joined]).model.tenants.get('acme'), { meetings: 1, participants: 3, voice: 0, video: 0 });
  t.same(given([created, joined, polled]).model.tenants.get('acme'), { meetings: 1, participants: 5, voice: 2, video: 1 });
});

t.test('given a meeting that ended / then the tenant is back to zero', async (t) => {
  const ended = recorded('meeting-acme-x', 'MeetingEnded', { ...identity, nodeId: 'n1', reason: 'api', evidence: null });
  t.same(given([created, joined, polled, ended]).model.tenants.get('acme'), { meetings: 0, participants: 0, voice: 0, video: 0 });
});

t.test('given a node offline at 10:00 and its meeting moved at 10:00:12 / then a failover of 12 s', async (t) => {
  const offline = recorded('node-n1', 'NodeHealthChanged', { nodeId: 'n1', health: 'offline', previous: 'unstable', reason: 'timeout', detail: '' });
  const moved = recorded('meeting-acme-x', 'MeetingMoved', { ...identity, from: 'n1', to: 'n2', cause: 'nodeOffline', ...answer }, '2026-11-23T10:00:12.000Z');
  const { model, failovers } = given([created, offline, moved]);
  t.same(failovers, [12]);
  t.equal(model.tenants.get('acme')?.meetings, 1, 'still one meeting, on the other node');
  t.equal(model.healthTransitions.get('n1\noffline'), 1);
});

t.test('given refused creates / then refusals by reason', async (t) => {
  const abandoned = recorded('meeting-acme-y', 'MeetingCreateAbandoned', { ...identity, reason: 'noNodeAvailable', triedNodeIds: [] });
  t.same([...given([abandoned, abandoned]).model.refusals], [['noNodeAvailable', 2]]);
});

t.test('given TenantLimitExceeded events / then limit hits by tenant, limit and outcome, each occurrence counted', async (t) => {
  const hit = (outcome: string, occurrences: number) =>
    recorded('limits-acme', 'TenantLimitExceeded', { tenant: 'acme', subId: 0, limit: 'attendees', max: 2, count: 2, scope: 'acme', mode: outcome === 'refused' ? 'hard' : 'soft', outcome, occurrences, from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:00:00.000Z' });
  t.same([...given([hit('refused', 3), hit('refused', 2), hit('allowed', 1)]).model.limitHits], [['acme\nattendees\nrefused', 5], ['acme\nattendees\nallowed', 1]]);
});

t.test('the log head counts what a read model still has to apply, by its filter', async (t) => {
  const head = new LogHead(10);
  for (let i = 1; i <= 5; i++) head.add(encodePosition('M', BigInt(i)), 1000 * i, i % 2 ? 'node-a' : 'tenant-b', 'X');
  t.same(head.lag(encodePosition('M', 2n), undefined, 6000), { events: 3, seconds: 3 });
  t.same(head.lag(encodePosition('M', 2n), { streamPrefixes: ['tenant-'] }, 6000), { events: 1, seconds: 2 });
  t.same(head.lag(encodePosition('M', 5n), undefined, 6000), { events: 0, seconds: 0 });
  t.same(head.lag(undefined, undefined, 6000), { events: 5, seconds: 5 });
});
