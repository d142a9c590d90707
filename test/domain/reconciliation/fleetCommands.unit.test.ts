import t from 'tap';
import type { MeetingCommand } from '../../../src/domain/meeting/commands.js';
import { decide as decideMeeting } from '../../../src/domain/meeting/decide.js';
import type { MeetingEvent } from '../../../src/domain/meeting/events.js';
import { evolve as evolveMeeting, initialState as initialMeeting, type MeetingState } from '../../../src/domain/meeting/state.js';
import type { NodeCommand } from '../../../src/domain/node/commands.js';
import { decide as decideNode } from '../../../src/domain/node/decide.js';
import type { NodeEvent } from '../../../src/domain/node/events.js';
import { evolve as evolveNode, initialState as initialNode, type NodeState } from '../../../src/domain/node/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const nodes = deciderSpec<NodeCommand, NodeEvent, NodeState>({ decide: decideNode, evolve: evolveNode, initialState: initialNode });
const meetings = deciderSpec<MeetingCommand, MeetingEvent, MeetingState>({ decide: decideMeeting, evolve: evolveMeeting, initialState: initialMeeting });

const registered: NodeEvent = {
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 },
};
const cordoned: NodeEvent = { type: 'NodeCordoned', data: { nodeId: 'n1' } };
const decommissioned: NodeEvent = { type: 'NodeDecommissioned', data: { nodeId: 'n1' } };
const removed: NodeEvent = { type: 'NodeRemoved', data: { nodeId: 'n1', reason: 'drained' } };
const drain: NodeCommand = { type: 'CompleteDrain', data: { nodeId: 'n1' } };

t.test('CompleteDrain', async (t) => {
  t.test('when the node is cordoned / it is disabled, drained', async () => {
    nodes.given([registered, cordoned]).when(drain).then([{ type: 'NodeDisabled', data: { nodeId: 'n1', reason: 'drained' } }]);
  });
  t.test('when the node is decommissioned / it is removed, and removed it stays', async () => {
    nodes.given([registered, decommissioned]).when(drain).then([removed]);
    nodes.given([registered, decommissioned, removed]).when(drain).thenNothingHappens();
  });
  t.test('when the node was enabled again meanwhile / nothing', async () => {
    nodes.given([registered, cordoned, { type: 'NodeEnabled', data: { nodeId: 'n1' } }]).when(drain).thenNothingHappens();
  });
});

t.test('RecordUnknownMeeting / recorded once per incarnation on the node', async () => {
  const data = { nodeId: 'n1', nodeMeetingID: 'x', internalMeetingID: 'int-x', name: 'X', createTime: 1, participantCount: 2, explanation: 'notPlacedByUs' as const, detail: 'd' };
  const command: NodeCommand = { type: 'RecordUnknownMeeting', data };
  nodes.given([registered]).when(command).then([{ type: 'NodeReportedUnknownMeeting', data }]);
  nodes.given([registered, { type: 'NodeReportedUnknownMeeting', data }]).when(command).thenNothingHappens();
});

t.test('RecordMeetingGoneFromNode', async (t) => {
  const id = { tenant: 'acme', scope: 'acme', meetingID: 'room' };
  const placed: MeetingEvent = { type: 'MeetingPlaced', data: { ...id, nodeId: 'n1', nodeMeetingID: 'acme-h', params: {}, body: null } };
  const created = (internalMeetingID: string): MeetingEvent => ({
    type: 'MeetingCreated',
    data: { ...id, nodeId: 'n1', nodeMeetingID: 'acme-h', internalMeetingID, createTime: 1, attendeePW: null, moderatorPW: null, voiceBridge: '1', dialNumber: '', name: 'Room', metadata: {}, params: {} },
  });
  const evidence = { observedAt: '2026-11-23T10:00:10.000Z', lastSeenAt: null, detail: 'never listed' };
  const gone = (internalMeetingID: string): MeetingCommand => ({ type: 'RecordMeetingGoneFromNode', data: { ...id, nodeId: 'n1', internalMeetingID, reason: 'reconciliation', evidence } });
  t.test('when that incarnation runs there / it ends with the reason and the evidence', async () => {
    meetings.given([placed, created('i1')]).when(gone('i1')).then([{ type: 'MeetingEnded', data: { ...id, nodeId: 'n1', reason: 'reconciliation', evidence } }]);
  });
  t.test('when the meeting was created anew since the poll, or already ended / nothing', async () => {
    meetings.given([placed, created('i2')]).when(gone('i1')).thenNothingHappens();
    meetings.given([placed, created('i1'), { type: 'MeetingEnded', data: { ...id, nodeId: 'n1', reason: 'api', evidence: null } }]).when(gone('i1')).thenNothingHappens();
    meetings.given([placed]).when(gone('i1')).thenNothingHappens();
  });
});
