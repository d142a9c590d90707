import type { DecideContext } from '../decider.js';
import { IllegalStateError, ValidationError } from '../errors.js';
import type { EndMeeting, EndMeetingAfterFailover, EndMeetingByCallback, MeetingCommand, MoveMeeting, PlaceMeeting, RecordMeetingCreated, RecordMeetingCreateFailed, RecordMeetingGoneFromNode } from './commands.js';
import type { JoinCounts, MeetingCounts, MeetingEvent, MeetingIdentity, MeetingJoined, MeetingParticipantsChanged } from './events.js';
import type { MeetingState } from './state.js';
import { metadataOf, validMeetingId } from './validation.js';

export function decide(command: MeetingCommand, state: MeetingState, context: DecideContext): MeetingEvent[] {
  if (state.status !== 'idle') sameMeeting(command.data, state);
  switch (command.type) {
    case 'PlaceMeeting':
      return placeMeeting(command, state);
    case 'RecordMeetingCreated':
      return recordCreated(command, state);
    case 'RecordMeetingCreateFailed':
      return recordCreateFailed(command, state);
    case 'EndMeeting':
      return endMeeting(command, state);
    case 'RecordMeetingGoneFromNode':
      return recordGoneFromNode(command, state);
    case 'MoveMeeting':
      return moveMeeting(command, state);
    case 'EndMeetingAfterFailover':
      return endAfterFailover(command, state);
    case 'EndMeetingByCallback':
      return endByCallback(command, state, context.now);
    default: {
      const unknown: never = command;
      throw new Error(`unknown meeting command ${JSON.stringify(unknown)}`);
    }
  }
}

export function placeMeeting(command: PlaceMeeting, state: MeetingState): MeetingEvent[] {
  const { tenant, scope, nodeMeetingID, params, body, candidates, noCandidateReason, noCandidateDetail } = command.data;
  const meetingID = validMeetingId(command.data.meetingID);
  if (nodeMeetingID.length === 0) throw new ValidationError('nodeMeetingID must not be empty', 'nodeMeetingID');
  // Placed or running: the meeting stays on its node, whoever asks (racing creates agree on one node).
  if (state.status === 'running' || (state.status === 'placing' && state.nodeId !== undefined)) return [];
  const tried = state.status === 'placing' ? state.failedNodeIds : [];
  const nodeId = candidates.find((id) => !tried.includes(id));
  if (nodeId === undefined && noCandidateReason === 'serverFull' && state.status === 'idle') {
    return [{ type: 'MeetingCreateRefused', data: { tenant, scope, meetingID, reason: 'serverFull', detail: noCandidateDetail ?? '' } }];
  }
  if (nodeId === undefined) {
    return [{ type: 'MeetingCreateAbandoned', data: { tenant, scope, meetingID, reason: noCandidateReason === 'serverTagUnavailable' ? noCandidateReason : 'noNodeAvailable', triedNodeIds: [...tried] } }];
  }
  return [{ type: 'MeetingPlaced', data: { tenant, scope, meetingID, nodeId, nodeMeetingID, params: { ...params }, body } }];
}

export function recordCreated(command: RecordMeetingCreated, state: MeetingState): MeetingEvent[] {
  const { nodeId, internalMeetingID } = command.data;
  if (state.status === 'idle') throw new IllegalStateError(`meeting ${command.data.meetingID} is not being created`);
  if (state.status === 'running' && state.nodeId === nodeId && state.created.internalMeetingID === internalMeetingID) return [];
  // After a timeout the node may still have created it: its answer wins unless another node was chosen since.
  const placedElsewhere = state.nodeId !== undefined && state.nodeId !== nodeId;
  if (placedElsewhere) {
    throw new IllegalStateError(`meeting ${command.data.meetingID} is on node ${state.nodeId}, not ${nodeId}`);
  }
  const { tenant, scope, meetingID, nodeMeetingID, params } = state;
  const { createTime, attendeePW, moderatorPW, voiceBridge, dialNumber } = command.data;
  return [
    {
      type: 'MeetingCreated',
      data: {
        tenant,
        scope,
        meetingID,
        nodeId,
        nodeMeetingID,
        internalMeetingID,
        createTime,
        attendeePW,
        moderatorPW,
        voiceBridge,
        dialNumber,
        name: params.name ?? '',
        metadata: metadataOf(params),
        params: { ...params },
      },
    },
  ];
}

export function recordCreateFailed(command: RecordMeetingCreateFailed, state: MeetingState): MeetingEvent[] {
  // Someone else already recorded this failure, or the meeting moved on (created, ended): nothing to add.
  if (state.status !== 'placing' || state.nodeId !== command.data.nodeId) return [];
  const { tenant, scope, meetingID, nodeId, reason, detail } = command.data;
  const failed: MeetingEvent = { type: 'MeetingCreateFailed', data: { tenant, scope, meetingID, nodeId, reason, detail } };
  if (reason !== 'nodeError') return [failed];
  // The node refused the request itself (BBB validation): any other node would refuse it too.
  const triedNodeIds = [...state.failedNodeIds, nodeId];
  return [failed, { type: 'MeetingCreateAbandoned', data: { tenant, scope, meetingID, reason: 'nodeRefused', triedNodeIds } }];
}

export function endMeeting(command: EndMeeting, state: MeetingState): MeetingEvent[] {
  if (state.status === 'idle') return [];
  const { tenant, scope, meetingID, reason } = command.data;
  return [{ type: 'MeetingEnded', data: { tenant, scope, meetingID, nodeId: state.nodeId ?? null, reason, evidence: null } }];
}

export function recordGoneFromNode(command: RecordMeetingGoneFromNode, state: MeetingState): MeetingEvent[] {
  const { tenant, scope, meetingID, nodeId, internalMeetingID, reason, evidence } = command.data;
  // Ended, moved or created anew since the poll: that poll says nothing about the current incarnation.
  if (state.status !== 'running' || state.nodeId !== nodeId || state.created.internalMeetingID !== internalMeetingID) return [];
  return [{ type: 'MeetingEnded', data: { tenant, scope, meetingID, nodeId, reason, evidence: { ...evidence } } }];
}

/** Is this still the incarnation failover started from, running where it was? Else failover is too late. */
function stillOn(state: MeetingState, incarnation: number, nodeId: string): state is Extract<MeetingState, { status: 'running' }> {
  return state.status === 'running' && state.incarnations === incarnation && state.nodeId === nodeId;
}

export function moveMeeting(command: MoveMeeting, state: MeetingState): MeetingEvent[] {
  const { tenant, scope, meetingID, incarnation, from, to, cause, created } = command.data;
  if (!stillOn(state, incarnation, from)) return [];
  if (to === from) throw new ValidationError('a meeting cannot move to the node it is on', 'to');
  const { nodeMeetingID, params } = state;
  return [
    {
      type: 'MeetingMoved',
      data: { tenant, scope, meetingID, from, to, cause, nodeMeetingID, ...created, name: params.name ?? '', metadata: metadataOf(params) },
    },
  ];
}

export function endAfterFailover(command: EndMeetingAfterFailover, state: MeetingState): MeetingEvent[] {
  const { tenant, scope, meetingID, incarnation, from, evidence } = command.data;
  if (!stillOn(state, incarnation, from)) return [];
  return [{ type: 'MeetingEnded', data: { tenant, scope, meetingID, nodeId: from, reason: 'failover', evidence: { ...evidence } } }];
}

export function endByCallback(command: EndMeetingByCallback, state: MeetingState, now: Date): MeetingEvent[] {
  const { tenant, scope, meetingID, incarnation, detail } = command.data;
  if (state.status === 'idle' || state.incarnations !== incarnation) return [];
  const evidence = { observedAt: now.toISOString(), lastSeenAt: null, detail };
  return [{ type: 'MeetingEnded', data: { tenant, scope, meetingID, nodeId: state.nodeId ?? null, reason: 'node', evidence } }];
}

/**
 * Counts from a poll, decided without reading the stream like a join (see appendMeetingEvent): the
 * reconciliation saw the meeting running with other counts than last reported.
 */
export function participantsChanged(meeting: MeetingIdentity, nodeId: string, counts: MeetingCounts, now: Date): MeetingParticipantsChanged {
  const { tenant, scope, meetingID } = meeting;
  return { type: 'MeetingParticipantsChanged', data: { tenant, scope, meetingID, nodeId, ...counts, at: now.toISOString() } };
}

/**
 * The joins of one window, decided without reading the stream: the routing read model showed the meeting
 * running, and the event only counts. Reading a stream that grows with the joins would make joins quadratic.
 */
export function meetingJoined(meeting: MeetingIdentity, joins: JoinCounts, from: Date, to: Date): MeetingJoined {
  const { tenant, scope, meetingID } = meeting;
  return { type: 'MeetingJoined', data: { tenant, scope, meetingID, moderators: joins.moderators, viewers: joins.viewers, from: from.toISOString(), to: to.toISOString() } };
}

/** One stream per scope and sha1(meetingID): a different meeting here means a hash collision or a bug. */
function sameMeeting(data: MeetingIdentity, state: MeetingIdentity): void {
  if (data.tenant !== state.tenant || data.scope !== state.scope || data.meetingID !== state.meetingID) {
    throw new IllegalStateError(`stream of meeting ${state.scope}/${state.meetingID} cannot take a command for ${data.scope}/${data.meetingID}`);
  }
}
