import t from 'tap';
import { ValidationError } from '../../../src/domain/errors.js';
import { failoverCandidates, failoverCommandId, needsMove, noHomeEvidence, recreateParams, type RunningMeeting } from '../../../src/domain/failover/failoverPlan.js';
import type { MeetingCommand } from '../../../src/domain/meeting/commands.js';
import { decide } from '../../../src/domain/meeting/decide.js';
import type { MeetingCreated, MeetingEvent, MeetingMoved, MeetingPlaced } from '../../../src/domain/meeting/events.js';
import { evolve, initialState, type MeetingState } from '../../../src/domain/meeting/state.js';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import type { PlacementNode } from '../../../src/domain/placement/placement.js';
import { deciderSpec } from '../../support/deciderSpec.js';


const spec = deciderSpec<MeetingCommand, MeetingEvent, MeetingState>({ decide, evolve, initialState });
const id = { tenant: 'acme', scope: 'acme', meetingID: 'room-1' };
const nodeMeetingID = `acme-${'a'.repeat(40)}`;
const params = { meetingID: 'room-1', name: 'Room One', meta_Origin: 'lms', 'meta_server-tag': 'eu' };
const placed: MeetingPlaced = { type: 'MeetingPlaced', data: { ...id, nodeId: 'a', nodeMeetingID, params, body: null } };
const answerOf = (internalMeetingID: string) => ({ internalMeetingID, createTime: 1, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '70001', dialNumber: '613' });
const created: MeetingCreated = { type: 'MeetingCreated', data: { ...id, nodeId: 'a', nodeMeetingID, ...answerOf('int-a'), name: 'Room One', metadata: { origin: 'lms', 'server-tag': 'eu' }, params } };
const moved: MeetingMoved = {
  type: 'MeetingMoved',
  data: { ...id, from: 'a', to: 'b', cause: 'nodeOffline', nodeMeetingID, ...answerOf('int-b'), name: 'Room One', metadata: { origin: 'lms', 'server-tag': 'eu' } },
};
const move = (overrides: Partial<{ incarnation: number; from: string; to: string }> = {}): MeetingCommand => ({
  type: 'MoveMeeting',
  data: { ...id, incarnation: 1, from: 'a', to: 'b', cause: 'nodeOffline', created: answerOf('int-b'), ...overrides },
});
const evidence = { observedAt: '2026-11-23T10:00:00.000Z', lastSeenAt: null, detail: 'no home' };
const endAfter = (incarnation = 1, from = 'a'): MeetingCommand => ({ type: 'EndMeetingAfterFailover', data: { ...id, incarnation, from, evidence } });
const runningState = (history: MeetingEvent[]) => history.reduce(evolve, initialState()) as RunningMeeting;

t.test('MoveMeeting', async (t) => {
  t.test('when the meeting runs on the dead node / should record MeetingMoved with the new node’s answer, name and metadata', async () => {
    spec.given([placed, created]).when(move()).then([moved]);
  });
  t.test('when it moved already (a restarted saga) / should do nothing', async () => {
    spec.given([placed, created, moved]).when(move()).thenNothingHappens();
  });
  t.test('when it ended, or a new incarnation runs / should do nothing', async () => {
    const ended: MeetingEvent = { type: 'MeetingEnded', data: { ...id, nodeId: 'a', reason: 'api', evidence: null } };
    spec.given([placed, created, ended]).when(move()).thenNothingHappens();
    spec.given([placed, created, ended, placed, created]).when(move({ incarnation: 1 })).thenNothingHappens();
  });
  t.test('when asked to move it onto its own node / should refuse', async () => {
    spec.given([placed, created]).when(move({ to: 'a' })).thenThrows(ValidationError, /node it is on/);
  });
  t.test('after a move / the state runs on the new node with its answer, joins kept', async (t) => {
    const state = runningState([placed, created, moved]);
    t.match(state, { status: 'running', nodeId: 'b', incarnations: 1, created: { internalMeetingID: 'int-b' } });
  });
});

t.test('EndMeetingAfterFailover', async (t) => {
  t.test('when no node took it / should end it with reason failover and the evidence', async () => {
    spec.given([placed, created]).when(endAfter()).then([{ type: 'MeetingEnded', data: { ...id, nodeId: 'a', reason: 'failover', evidence } }]);
  });
  t.test('when it moved meanwhile (another instance) / should do nothing', async () => {
    spec.given([placed, created, moved]).when(endAfter()).thenNothingHappens();
  });
});

const node = (id: string, overrides: Partial<PlacementNode> = {}): PlacementNode => ({
  id, apiUrl: `https://${id}/bigbluebutton/api/`, secret: 's', checksumAlgorithm: 'sha256', adminState: 'enabled', health: 'available',
  meetings: 0, participants: 0, loadFactor: 1, tags: [], ...overrides,
});

t.test('failover planning', async (t) => {
  const running = runningState([placed, created]);
  const trigger = { from: 'a', offlineId: 'a#offline1' };
  t.test('when the meeting still runs on the offline node / should move it; otherwise say why not', async (t) => {
    t.same(needsMove(running, trigger, true), { move: running });
    t.same(needsMove(running, trigger, false), { skip: 'nodeBackOnline' });
    t.same(needsMove(runningState([placed, created, moved]), trigger, true), { skip: 'notOnThatNode' });
    t.same(needsMove(initialState(), trigger, true), { skip: 'notRunning' });
  });
  t.test('candidates / exclude the dead node and unavailable ones, prefer the create’s tag, keep required tags required', async (t) => {
    const nodes = [node('a'), node('b', { meetings: 0 }), node('c', { tags: ['eu'], meetings: 3 }), node('d', { health: 'offline' })];
    const placement = { nodes, tenantTags: [], reservations: [], now: 0, weights: DEFAULT_LOAD_WEIGHTS };
    t.same(failoverCandidates(running, 'a', placement).map((n) => n.id), ['c', 'b'], 'preferred tag first, then by load');
    t.same(failoverCandidates(running, 'a', { ...placement, tenantTags: ['gpu'] }).map((n) => n.id), [], 'the tenant’s pool stays its pool');
    const pinned = { ...running, params: { ...running.params, 'meta_server-tag': 'eu!' } };
    t.same(failoverCandidates(pinned, 'a', placement).map((n) => n.id), ['c']);
  });
  t.test('the re-create / the client’s parameters under the node meeting ID, with the passwords the first node chose', async (t) => {
    t.same(recreateParams(running), [['meetingID', nodeMeetingID], ['name', 'Room One'], ['meta_Origin', 'lms'], ['meta_server-tag', 'eu'], ['attendeePW', 'ap'], ['moderatorPW', 'mp']]);
    const chosen = { ...running, params: { ...running.params, moderatorPW: 'own' } };
    t.same(recreateParams(chosen).filter(([k]) => k.endsWith('PW')), [['moderatorPW', 'own'], ['attendeePW', 'ap']], 'a password the client chose is sent as it chose it');
    const withReady = { ...running, params: { ...running.params, 'meta_bbb-recording-ready-url': 'https://lms/ready', 'meta_BN-recording-ready-url': 'https://bn/ready' } };
    t.same(recreateParams(withReady), recreateParams(running), 'the recording-ready URLs are bbb-ledger’s to call, never sent to the new node');
  });
  t.test('command ids / depend on meeting, incarnation and offline transition only', async (t) => {
    t.equal(failoverCommandId(running, trigger), failoverCommandId(running, { ...trigger }));
    t.not(failoverCommandId(running, trigger), failoverCommandId(running, { from: 'a', offlineId: 'a#offline2' }));
  });
  t.test('the end evidence / names the dead node and every node asked with its answer', async (t) => {
    const now = new Date('2026-11-23T10:00:00.000Z');
    t.match(noHomeEvidence(trigger, [{ nodeId: 'b', detail: 'http: HTTP 502' }], [], now), { observedAt: now.toISOString(), detail: 'node a went offline and no other node could re-create the meeting: b (http: HTTP 502)' });
    t.match(noHomeEvidence(trigger, [], ['gpu'], now), { detail: 'node a went offline and no other available node carrying gpu could take the meeting' });
  });
});
