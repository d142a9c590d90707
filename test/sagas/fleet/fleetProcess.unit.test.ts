import t from 'tap';
import type { NodeMeeting } from '../../../src/domain/bbb/getMeetingsResponse.js';
import type { DomainEvent } from '../../../src/domain/eventCatalogue.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../../src/domain/node/health.js';
import { DEFAULT_LOAD_MATERIALITY } from '../../../src/domain/node/load.js';
import { fleetProcess } from '../../../src/sagas/fleet/fleetProcess.js';
import type { ProbeOutcome } from '../../../src/sagas/nodeProber.js';
import type { Effect } from '../../../src/sagas/process/process.js';
import { answer, processSpec, tick } from '../../support/processSpec.js';

const registered: DomainEvent = {
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 },
};
const id = { tenant: 'acme', scope: 'acme', meetingID: 'room' };
const placed: DomainEvent = { type: 'MeetingPlaced', data: { ...id, nodeId: 'n1', nodeMeetingID: 'acme-h', params: {}, body: null } };
const created: DomainEvent = {
  type: 'MeetingCreated',
  data: { ...id, nodeId: 'n1', nodeMeetingID: 'acme-h', internalMeetingID: 'int-h', createTime: 0, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'Room', metadata: {}, params: {} },
};
const available: DomainEvent = { type: 'NodeHealthChanged', data: { nodeId: 'n1', health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '' } };
const meeting = (participantCount: number): NodeMeeting => ({
  meetingID: 'acme-h', internalMeetingID: 'int-h', meetingName: 'Room', running: participantCount > 0, isBreakout: false, createTime: 0, endTime: 0,
  hasBeenForciblyEnded: false, participantCount, moderatorCount: 0, listenerCount: 0, voiceParticipantCount: 0, videoCount: 0, attendeeCount: participantCount, metadata: {},
});

const fleet = fleetProcess({ intervalMs: 10, retryMs: 3, timeoutMs: 5, thresholds: DEFAULT_HEALTH_THRESHOLDS, materiality: DEFAULT_LOAD_MATERIALITY, reconcile: { graceMs: 25 } });

/**
 * Polls every 10 (3 after a failure), reconciliation grace 25, each probe answered at once: follows the
 * process's own schedule (tick → probe → answer → next tick) up to `until`, pure, and collects what it asks
 * the log for. `given` are the log's events before the first poll.
 */
function run(given: DomainEvent[], answers: ProbeOutcome[], until: number): Effect[] {
  const session = processSpec(fleet).given([]);
  let next: Effect | undefined;
  for (const e of given) next = session.when(e).effects.find((x) => x.kind === 'schedule') ?? next;
  const asked: Effect[] = [];
  for (let i = 0; next && next.kind === 'schedule' && next.at < until; i++) {
    const at = next.at;
    const [probe] = session.when(tick(next)).effects;
    const effects = session.when(answer(probe!, { ok: true, value: answers[Math.min(i, answers.length - 1)]! }, at)).effects;
    asked.push(...effects.filter((x) => x.kind === 'command' || x.kind === 'observe'));
    next = effects.find((x) => x.kind === 'schedule');
  }
  return asked;
}

const ok = (meetings: NodeMeeting[], cpu: number | null = null): ProbeOutcome => ({ ok: true, meetings, cpu });
const summary = (effects: Effect[]) => effects.map((e) => (e.kind === 'observe' ? `${e.id} ${e.actor} ${e.event.type}` : e.kind === 'command' ? `${e.id} ${e.actor} ${e.command.type}` : e.kind));

t.test('when a node answers the same every poll / health once, load once, counts once; ids from node, poll start and subject', async (t) => {
  const effects = run([registered, placed, created], [ok([meeting(3)], 0.4)], 45);
  t.same(summary(effects).slice(0, 3), [
    'n1/0/health nodeHealth RecordProbeResult',
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
  t.ok(summary(effects).slice(3).every((s) => s.includes('health')), 'until its NodeHealthChanged is back in the log, only the health is asked again');
  const settled = run([registered, placed, created, available], [ok([meeting(3)], 0.4)], 45);
  t.same(summary(settled), [
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
  t.match(settled[0], { kind: 'observe', event: { data: { nodeId: 'n1', meetings: 1, participants: 3, cpu: 0.4 } } });
  t.match(settled[1], { kind: 'observe', event: { data: { ...id, participantCount: 3, at: '1970-01-01T00:00:00.000Z' } } });
});

t.test('when the counts move a little, then a lot / counts every change, load only when material', async (t) => {
  const effects = run([registered, placed, created, available], [ok([meeting(100)]), ok([meeting(101)]), ok([meeting(120)])], 25);
  t.same(summary(effects), [
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
    'n1/10/counts/acme-h reconciliation MeetingParticipantsChanged',
    'n1/20/load nodeLoad NodeLoadReported',
    'n1/20/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
});

t.test('when our meeting is missing from an available node / ended by reconciliation once the grace is over', async (t) => {
  const effects = run([registered, placed, created, available], [ok([])], 35);
  const gone = effects.filter((e) => e.kind === 'command' && e.command.type === 'RecordMeetingGoneFromNode');
  t.same(summary(gone), ['n1/30/gone/acme-h reconciliation RecordMeetingGoneFromNode'], 'not at 0, 10 or 20: within the grace');
  t.match(gone[0], { command: { data: { ...id, nodeId: 'n1', internalMeetingID: 'int-h', reason: 'reconciliation', evidence: { lastSeenAt: null } } } });
});

t.test('when a cordoned node has nothing of ours / CompleteDrain from saga:drain at each poll until the event is back', async (t) => {
  const cordoned: DomainEvent = { type: 'NodeCordoned', data: { nodeId: 'n1' } };
  const effects = run([registered, cordoned], [ok([])], 5);
  t.same(summary(effects).filter((s) => s.includes('drain')), ['n1/0/drain drain CompleteDrain']);
});

t.test('when the probes fail / only the health changes, nothing reconciled', async (t) => {
  // probes at 0, then retries at 3 and 6: the third failure makes the node offline
  const effects = run([registered], [{ ok: false, reason: 'connection', detail: 'ECONNRESET' }], 9);
  t.same(summary(effects), ['n1/6/health nodeHealth RecordProbeResult'], 'offline after the third failure, one command');
});

t.test('the poll loop / registered → a tick at once, the tick → a probe, removed → the loop cancelled and its tick asks nothing', async () => {
  const session = processSpec(fleet).given([]);
  const removed: DomainEvent = { type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } };
  session.when(registered).then([{ kind: 'schedule', id: 'n1/poll@0', key: 'n1', at: 0, tick: 'poll' }]);
  const first = { kind: 'schedule', id: 'n1/poll@0', key: 'n1', at: 0, tick: 'poll' } as const;
  session.when(tick(first)).then([
    { kind: 'callNode', id: 'n1/0', key: 'n1', call: { call: 'probe', target: { nodeId: 'n1', apiUrl: 'https://n1.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', loadUrl: null } }, timeoutMs: 5 },
  ]);
  session.when(removed).then([{ kind: 'cancel', id: 'n1/cancel@0', key: 'n1' }]);
  session.when(tick(first)).thenNothing();
});

t.test('a probe that times out / is a timeout failure, retried after retryMs', async (t) => {
  const session = processSpec(fleet).given([registered]);
  const [probe] = session.when(tick({ kind: 'schedule', id: 'n1/poll@0', key: 'n1', at: 0, tick: 'poll' })).effects;
  const effects = session.when(answer(probe!, { ok: false, reason: 'timeout', detail: 'no answer within 5 ms' }, 0, 5)).effects;
  t.same(effects, [{ kind: 'schedule', id: 'n1/poll@8', key: 'n1', at: 8, tick: 'poll' }], 'no health command before the threshold; next 3 after the end');
});
