import t from 'tap';
import { IllegalStateError, ValidationError } from '../../../src/domain/errors.js';
import type { MeetingCommand, PlaceMeeting } from '../../../src/domain/meeting/commands.js';
import { decide, meetingJoined } from '../../../src/domain/meeting/decide.js';
import type { MeetingCreated, MeetingEvent, MeetingPlaced } from '../../../src/domain/meeting/events.js';
import { evolve, initialState, type MeetingState } from '../../../src/domain/meeting/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<MeetingCommand, MeetingEvent, MeetingState>({ decide, evolve, initialState });

const id = { tenant: 'acme', scope: 'acme-007', meetingID: 'room 1' };
const nodeMeetingID = 'acme-007-0123456789abcdef0123456789abcdef01234567';
const params = { meetingID: 'room 1', name: 'Room One', meta_Origin: 'lms', meta_bad_key: 'x', record: 'true' };
const body = { ref: `sha256:${'a'.repeat(64)}`, contentType: 'application/xml', size: 42 };

const place = (candidates: string[], overrides: Partial<PlaceMeeting['data']> = {}): PlaceMeeting => ({
  type: 'PlaceMeeting',
  data: { ...id, nodeMeetingID, params, body: null, candidates, ...overrides },
});
const placed = (nodeId: string, overrides: Partial<MeetingPlaced['data']> = {}): MeetingPlaced => ({
  type: 'MeetingPlaced',
  data: { ...id, nodeId, nodeMeetingID, params, body: null, ...overrides },
});
const answer = { internalMeetingID: 'abc-1700000000000', createTime: 1700000000000, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '71234', dialNumber: '613-555-1234' };
const recordCreated = (nodeId: string, overrides: Partial<typeof answer> = {}): MeetingCommand => ({
  type: 'RecordMeetingCreated',
  data: { ...id, nodeId, ...answer, ...overrides },
});
const created = (nodeId: string, overrides: Partial<MeetingCreated['data']> = {}): MeetingCreated => ({
  type: 'MeetingCreated',
  data: { ...id, nodeId, nodeMeetingID, ...answer, name: 'Room One', metadata: { origin: 'lms' }, params, ...overrides },
});
const failed = (nodeId: string, reason: 'timeout' | 'nodeError' = 'timeout'): MeetingEvent => ({
  type: 'MeetingCreateFailed',
  data: { ...id, nodeId, reason, detail: 'd' },
});
const recordFailed = (nodeId: string, reason: 'timeout' | 'connection' | 'checksumError' | 'nodeError' = 'timeout'): MeetingCommand => ({
  type: 'RecordMeetingCreateFailed',
  data: { ...id, nodeId, reason, detail: 'd' },
});
const ended = (nodeId: string | null, reason: 'api' | 'node' = 'api'): MeetingEvent => ({ type: 'MeetingEnded', data: { ...id, nodeId, reason, evidence: null } });
const end = (reason: 'api' | 'node' | 'reconciliation' | 'limit' = 'api'): MeetingCommand => ({ type: 'EndMeeting', data: { ...id, reason } });

t.test('PlaceMeeting', async (t) => {
  t.test('when the meeting was never created / should place it on the best candidate, with params and body', async () => {
    spec.given([]).when(place(['n2', 'n1'], { body })).then([placed('n2', { body })]);
  });
  t.test('when there is no candidate / should abandon the create: no node available', async () => {
    spec.given([]).when(place([])).then([{ type: 'MeetingCreateAbandoned', data: { ...id, reason: 'noNodeAvailable', triedNodeIds: [] } }]);
  });
  t.test('when no node carries a required tag / should abandon the create with that reason, unless it is placed already', async () => {
    const untagged = place([], { noCandidateReason: 'serverTagUnavailable' });
    spec.given([]).when(untagged).then([{ type: 'MeetingCreateAbandoned', data: { ...id, reason: 'serverTagUnavailable', triedNodeIds: [] } }]);
    spec.given([placed('n1')]).when(untagged).thenNothingHappens();
  });
  t.test('when it is already placed (a racing create) / should do nothing, so both agree on that node', async () => {
    spec.given([placed('n1')]).when(place(['n2'])).thenNothingHappens();
  });
  t.test('when it is running / should do nothing (a repeated create goes to the same node)', async () => {
    spec.given([placed('n1'), created('n1')]).when(place(['n2'])).thenNothingHappens();
  });
  t.test('when a node failed it / should place it on the best candidate that has not failed', async () => {
    spec.given([placed('n1'), failed('n1')]).when(place(['n1', 'n3', 'n2'])).then([placed('n3')]);
  });
  t.test('when every candidate failed it / should abandon, naming the nodes tried', async () => {
    spec
      .given([placed('n1'), failed('n1'), placed('n2'), failed('n2')])
      .when(place(['n2', 'n1']))
      .then([{ type: 'MeetingCreateAbandoned', data: { ...id, reason: 'noNodeAvailable', triedNodeIds: ['n1', 'n2'] } }]);
  });
  t.test('when the meeting ended / should start a new incarnation, failures of the old one forgotten', async () => {
    const history = [placed('n1'), failed('n1'), placed('n2'), created('n2'), ended('n2')];
    spec.given(history).when(place(['n1'])).then([placed('n1')]);
    t.equal((history.reduce(evolve, initialState()) as { incarnations: number }).incarnations, 1);
  });
  t.test('when the meeting ID is invalid for BBB / should refuse it', async () => {
    for (const meetingID of ['x', 'a,b', ' padded', 'y'.repeat(257)]) {
      spec.given([]).when(place(['n1'], { meetingID })).thenThrows(ValidationError, /meeting ID/);
    }
  });
  t.test('when the stream belongs to another meeting (a hash collision) / should refuse', async () => {
    spec.given([placed('n1')]).when(place(['n1'], { meetingID: 'other room' })).thenThrows(IllegalStateError, /cannot take a command/);
  });
});

t.test('RecordMeetingCreated', async (t) => {
  t.test('when placed on that node / should record the node answer with name and lower-cased metadata', async () => {
    spec.given([placed('n1')]).when(recordCreated('n1')).then([created('n1')]);
  });
  t.test('when already recorded with the same internal ID (racing creates) / should do nothing', async () => {
    spec.given([placed('n1'), created('n1')]).when(recordCreated('n1')).thenNothingHappens();
  });
  t.test('when the node created it again (a restarted node) / should record the new internal ID', async () => {
    spec
      .given([placed('n1'), created('n1')])
      .when(recordCreated('n1', { internalMeetingID: 'abc-2', createTime: 2 }))
      .then([created('n1', { internalMeetingID: 'abc-2', createTime: 2 })]);
  });
  t.test('when the node that timed out created it after all / should accept it', async () => {
    spec.given([placed('n1'), failed('n1')]).when(recordCreated('n1')).then([created('n1')]);
  });
  t.test('when it was placed on another node meanwhile / should refuse', async () => {
    spec.given([placed('n1'), failed('n1'), placed('n2')]).when(recordCreated('n1')).thenThrows(IllegalStateError, /on node n2/);
  });
  t.test('when nothing is being created / should refuse', async () => {
    spec.given([]).when(recordCreated('n1')).thenThrows(IllegalStateError, /not being created/);
    spec.given([placed('n1'), created('n1'), ended('n1')]).when(recordCreated('n1')).thenThrows(IllegalStateError);
  });
});

t.test('RecordMeetingCreateFailed', async (t) => {
  t.test('when the placed node failed / should record the failure', async () => {
    for (const reason of ['timeout', 'connection', 'checksumError'] as const) {
      spec.given([placed('n1')]).when(recordFailed('n1', reason)).then([{ type: 'MeetingCreateFailed', data: { ...id, nodeId: 'n1', reason, detail: 'd' } }]);
    }
  });
  t.test('when the node refused the request itself / should also abandon the create (no retry elsewhere)', async () => {
    spec
      .given([placed('n1'), failed('n1'), placed('n2')])
      .when(recordFailed('n2', 'nodeError'))
      .then([failed('n2', 'nodeError'), { type: 'MeetingCreateAbandoned', data: { ...id, reason: 'nodeRefused', triedNodeIds: ['n1', 'n2'] } }]);
  });
  t.test('when the failure is already recorded, or the meeting moved on / should do nothing', async () => {
    spec.given([placed('n1'), failed('n1')]).when(recordFailed('n1')).thenNothingHappens();
    spec.given([placed('n1'), created('n1')]).when(recordFailed('n1')).thenNothingHappens();
    spec.given([placed('n1'), failed('n1'), placed('n2')]).when(recordFailed('n1')).thenNothingHappens();
    spec.given([]).when(recordFailed('n1')).thenNothingHappens();
  });
});

t.test('EndMeeting', async (t) => {
  t.test('when running / should end it with the reason and its node', async () => {
    for (const reason of ['api', 'node', 'reconciliation', 'limit'] as const) {
      spec.given([placed('n1'), created('n1')]).when(end(reason)).then([{ type: 'MeetingEnded', data: { ...id, nodeId: 'n1', reason, evidence: null } }]);
    }
  });
  t.test('when only placed / should end it too', async () => {
    spec.given([placed('n1')]).when(end()).then([ended('n1')]);
    spec.given([placed('n1'), failed('n1')]).when(end()).then([ended(null)]);
  });
  t.test('when never created or already ended / should do nothing (idempotent)', async () => {
    spec.given([]).when(end()).thenNothingHappens();
    spec.given([placed('n1'), created('n1'), ended('n1')]).when(end()).thenNothingHappens();
  });
});

t.test('MeetingJoined', async (t) => {
  const from = new Date('2026-11-23T10:00:05.000Z');
  const to = new Date('2026-11-23T10:00:05.200Z');
  const joins = (moderators: number, viewers: number) => meetingJoined(id, { moderators, viewers }, from, to);
  t.test('the event / counts the joins of a window by role, nothing personal', async (t) => {
    t.same(joins(1, 2), { type: 'MeetingJoined', data: { ...id, moderators: 1, viewers: 2, from: from.toISOString(), to: to.toISOString() } });
  });
  t.test('when running / should add up moderators and viewers', async (t) => {
    const state = [placed('n1'), created('n1'), joins(1, 0), joins(0, 2), joins(2, 3)].reduce(evolve, initialState());
    t.match(state, { status: 'running', joins: { moderators: 3, viewers: 5 } });
  });
  t.test('when it trails the end / should be ignored', async (t) => {
    t.same([placed('n1'), created('n1'), ended('n1'), joins(0, 1)].reduce(evolve, initialState()), { status: 'idle', incarnations: 1 });
  });
});

t.test('evolve / a running meeting keeps its placement params, body and node answer', async () => {
  spec.given([placed('n1', { body }), created('n1')]).thenState({
    status: 'running',
    incarnations: 1,
    ...id,
    nodeMeetingID,
    params,
    body,
    nodeId: 'n1',
    created: answer,
    joins: { moderators: 0, viewers: 0 },
  });
});
