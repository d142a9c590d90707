import assert from 'node:assert/strict';
import t from 'tap';
import { TestScheduler } from 'rxjs/testing';
import type { NodeMeeting } from '../../src/domain/bbb/getMeetingsResponse.js';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../src/domain/node/health.js';
import { DEFAULT_LOAD_MATERIALITY } from '../../src/domain/node/load.js';
import type { FleetEffect } from '../../src/sagas/fleetEffects.js';
import { fleetSaga } from '../../src/sagas/fleetSaga.js';
import type { NodeProber, ProbeOutcome } from '../../src/sagas/nodeProber.js';

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

/** 1 frame = 1 ms; polls every 10 (3 after a failure), reconciliation grace 25. Collects the effects of the first `frames`. */
function run(events: string, values: Record<string, DomainEvent>, answers: ProbeOutcome[], frames: number): FleetEffect[] {
  const effects: FleetEffect[] = [];
  const scheduler = new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  scheduler.run(({ cold, flush }) => {
    let i = 0;
    const prober: NodeProber = () => cold('(r|)', { r: answers[Math.min(i++, answers.length - 1)]! });
    const options = { prober, intervalMs: 10, retryMs: 3, timeoutMs: 5, thresholds: DEFAULT_HEALTH_THRESHOLDS, materiality: DEFAULT_LOAD_MATERIALITY, reconcile: { graceMs: 25 }, scheduler };
    const sub = fleetSaga(cold(events, values), options).subscribe((e) => effects.push(e));
    scheduler.schedule(() => sub.unsubscribe(), frames);
    flush();
  });
  return effects;
}

const ok = (meetings: NodeMeeting[], cpu: number | null = null): ProbeOutcome => ({ ok: true, meetings, cpu });
const summary = (effects: FleetEffect[]) => effects.map((e) => `${e.id} ${e.actor} ${e.kind === 'observed' ? e.event.type : e.command.type}`);

t.test('when a node answers the same every poll / health once, load once, counts once; ids from node, poll start and subject', async (t) => {
  const effects = run('(abc)', { a: registered, b: placed, c: created }, [ok([meeting(3)], 0.4)], 45);
  t.same(summary(effects).slice(0, 3), [
    'n1/0/health nodeHealth RecordProbeResult',
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
  t.ok(summary(effects).slice(3).every((s) => s.includes('health')), 'until its NodeHealthChanged is back in the log, only the health is asked again');
  const settled = run('(abcd)', { a: registered, b: placed, c: created, d: available }, [ok([meeting(3)], 0.4)], 45);
  t.same(summary(settled), [
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
  t.match(settled[0], { kind: 'observed', event: { data: { nodeId: 'n1', meetings: 1, participants: 3, cpu: 0.4 } } });
  t.match(settled[1], { kind: 'observed', event: { data: { ...id, participantCount: 3, at: '1970-01-01T00:00:00.000Z' } } });
});

t.test('when the counts move a little, then a lot / counts every change, load only when material', async (t) => {
  const effects = run('(abcd)', { a: registered, b: placed, c: created, d: available }, [ok([meeting(100)]), ok([meeting(101)]), ok([meeting(120)])], 25);
  t.same(summary(effects), [
    'n1/0/load nodeLoad NodeLoadReported',
    'n1/0/counts/acme-h reconciliation MeetingParticipantsChanged',
    'n1/10/counts/acme-h reconciliation MeetingParticipantsChanged',
    'n1/20/load nodeLoad NodeLoadReported',
    'n1/20/counts/acme-h reconciliation MeetingParticipantsChanged',
  ]);
});

t.test('when our meeting is missing from an available node / ended by reconciliation once the grace is over', async (t) => {
  const effects = run('(abcd)', { a: registered, b: placed, c: created, d: available }, [ok([])], 35);
  const gone = effects.filter((e) => e.kind === 'meeting');
  t.same(summary(gone), ['n1/30/gone/acme-h reconciliation RecordMeetingGoneFromNode'], 'not at 0, 10 or 20: within the grace');
  t.match(gone[0], { command: { data: { ...id, nodeId: 'n1', internalMeetingID: 'int-h', reason: 'reconciliation', evidence: { lastSeenAt: null } } } });
});

t.test('when a cordoned node has nothing of ours / CompleteDrain from saga:drain at each poll until the event is back', async (t) => {
  const cordoned: DomainEvent = { type: 'NodeCordoned', data: { nodeId: 'n1' } };
  const effects = run('(ab)', { a: registered, b: cordoned }, [ok([])], 5);
  t.same(summary(effects).filter((s) => s.includes('drain')), ['n1/0/drain drain CompleteDrain']);
});

t.test('when the probes fail / only the health changes, nothing reconciled', async (t) => {
  // probes at 0, then retries at 3 and 6: the third failure makes the node offline
  const effects = run('a', { a: registered }, [{ ok: false, reason: 'connection', detail: 'ECONNRESET' }], 9);
  t.same(summary(effects), ['n1/6/health nodeHealth RecordProbeResult'], 'offline after the third failure, one command');
});
