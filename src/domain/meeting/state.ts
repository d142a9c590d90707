import type { CreateBodyRef, CreatedOnNode, MeetingEvent, MeetingIdentity } from './events.js';

/** What the node answered to the create that made this incarnation run. */
export type { CreatedOnNode };

interface Incarnation extends MeetingIdentity {
  nodeMeetingID: string;
  params: Record<string, string>;
  body: CreateBodyRef | null;
}

/**
 * `idle`: never created, or the last incarnation ended or was abandoned; a create starts a new one.
 * `placing`: a node was chosen (`nodeId`) and is being asked; after a failure `nodeId` is undefined until
 * the next placement, and the failed nodes are not tried again in this incarnation.
 * `running`: the node created it.
 */
export type MeetingState =
  | { status: 'idle'; incarnations: number }
  | (Incarnation & { status: 'placing'; incarnations: number; nodeId: string | undefined; failedNodeIds: string[] })
  | (Incarnation & { status: 'running'; incarnations: number; nodeId: string; created: CreatedOnNode; joins: { moderators: number; viewers: number } });

export const initialState = (): MeetingState => ({ status: 'idle', incarnations: 0 });

export function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'MeetingPlaced': {
      const { tenant, scope, meetingID, nodeMeetingID, params, body, nodeId } = event.data;
      const incarnation = { tenant, scope, meetingID, nodeMeetingID, params: { ...params }, body };
      if (state.status === 'placing') return { ...state, ...incarnation, nodeId };
      return { status: 'placing', incarnations: state.incarnations + 1, ...incarnation, nodeId, failedNodeIds: [] };
    }
    case 'MeetingCreated': {
      // Only decide writes this, after a placement; ignoring it otherwise keeps replay total.
      if (state.status === 'idle') return state;
      const { nodeId, internalMeetingID, createTime, attendeePW, moderatorPW, voiceBridge, dialNumber } = event.data;
      const joins = state.status === 'running' ? state.joins : { moderators: 0, viewers: 0 };
      const { tenant, scope, meetingID, nodeMeetingID, params, body, incarnations } = state;
      const created = { internalMeetingID, createTime, attendeePW, moderatorPW, voiceBridge, dialNumber };
      return { status: 'running', incarnations, tenant, scope, meetingID, nodeMeetingID, params, body, nodeId, created, joins };
    }
    case 'MeetingCreateFailed':
      if (state.status !== 'placing') return state;
      return { ...state, nodeId: undefined, failedNodeIds: [...state.failedNodeIds, event.data.nodeId] };
    case 'MeetingCreateAbandoned':
    case 'MeetingCreateRefused':
    case 'MeetingEnded':
      return { status: 'idle', incarnations: state.incarnations };
    case 'MeetingMoved': {
      // Same incarnation on another node: its joins so far stay counted.
      if (state.status !== 'running') return state;
      const { to, internalMeetingID, createTime, attendeePW, moderatorPW, voiceBridge, dialNumber } = event.data;
      return { ...state, nodeId: to, created: { internalMeetingID, createTime, attendeePW, moderatorPW, voiceBridge, dialNumber } };
    }
    // Appended without reading the stream; the read models keep the counts, decide needs none.
    case 'MeetingParticipantsChanged':
      return state;
    case 'MeetingJoined': {
      // Joins are appended without reading the stream (see meetingCommands), so one may trail an end.
      if (state.status !== 'running') return state;
      const joins = { moderators: state.joins.moderators + event.data.moderators, viewers: state.joins.viewers + event.data.viewers };
      return { ...state, joins };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
