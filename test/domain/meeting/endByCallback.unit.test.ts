import t from 'tap';
import type { MeetingCommand } from '../../../src/domain/meeting/commands.js';
import { decide } from '../../../src/domain/meeting/decide.js';
import type { MeetingEvent } from '../../../src/domain/meeting/events.js';
import { evolve, initialState, type MeetingState } from '../../../src/domain/meeting/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<MeetingCommand, MeetingEvent, MeetingState>({ decide, evolve, initialState });
const id = { tenant: 'acme', scope: 'acme', meetingID: 'room' };
const nodeMeetingID = 'acme-0123';
const answer = { internalMeetingID: 'i-1', createTime: 1, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '7', dialNumber: '6' };
const placed: MeetingEvent = { type: 'MeetingPlaced', data: { ...id, nodeId: 'n1', nodeMeetingID, params: { name: 'R' }, body: null } };
const created: MeetingEvent = { type: 'MeetingCreated', data: { ...id, nodeId: 'n1', nodeMeetingID, ...answer, name: 'R', metadata: {}, params: { name: 'R' } } };
const ended: MeetingEvent = { type: 'MeetingEnded', data: { ...id, nodeId: 'n1', reason: 'reconciliation', evidence: null } };
const byCallback = (incarnation: number): MeetingCommand => ({ type: 'EndMeetingByCallback', data: { ...id, incarnation, detail: 'the node called' } });
const now = new Date('2026-12-04T10:00:00.000Z');

t.test('when the node calls the callback of the running incarnation / the meeting ends with reason node at once', async () => {
  spec.given([placed, created]).when(byCallback(1), now).then([
    { type: 'MeetingEnded', data: { ...id, nodeId: 'n1', reason: 'node', evidence: { observedAt: now.toISOString(), lastSeenAt: null, detail: 'the node called' } } },
  ]);
});

t.test('when the callback of an older incarnation arrives after a new create / the new one keeps running', async () => {
  spec.given([placed, created, ended, placed, created]).when(byCallback(1), now).thenNothingHappens();
});

t.test('when the meeting already ended (a poll was first) / nothing more ends', async () => {
  spec.given([placed, created, ended]).when(byCallback(1), now).thenNothingHappens();
});
