import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { NodeEvent } from '../../domain/node/events.js';
import type { MeetingIdentity } from '../../domain/meeting/events.js';
import { isNodeEvent } from '../../domain/node/decider.js';
import type { NodeHealth } from '../../domain/node/health.js';
import { evolveNodeView, type NodeView } from '../../domain/node/nodeView.js';

/** What a move left on the node it left: the meeting (by key) and the incarnation there. */
export interface LeftBehind {
  key: string;
  internalMeetingID: string;
}

/**
 * The node and meeting log folded for failover: the domain's node view of every node not removed, its
 * offline transitions, which meetings run where, and what moves left behind. The process updates it in
 * place (failoverProcess.ts).
 */
export interface FailoverState {
  nodes: Map<string, NodeView>;
  /** node → how many times the log saw it go offline */
  offlineTransitions: Map<string, number>;
  /** node → meeting key → identity, for running meetings */
  running: Map<string, Map<string, MeetingIdentity>>;
  /** meeting key → node it runs on */
  meetingAt: Map<string, string>;
  /** node → node meeting id → the incarnation a move left there */
  leftBehind: Map<string, Map<string, LeftBehind>>;
  /** meeting key → internal id on the node it runs on, so a move knows what it leaves behind */
  internalIds: Map<string, string>;
}

export const initialFailoverState = (): FailoverState => ({
  nodes: new Map(),
  offlineTransitions: new Map(),
  running: new Map(),
  meetingAt: new Map(),
  leftBehind: new Map(),
  internalIds: new Map(),
});

/** A node's health per the log; undefined for a node not registered, or removed. */
export const healthOf = (state: FailoverState, nodeId: string): NodeHealth | undefined => state.nodes.get(nodeId)?.health;

export function evolveFailover(state: FailoverState, event: DomainEvent): FailoverState {
  if (event.type === 'NodeHealthChanged' && event.data.health === 'offline' && healthOf(state, event.data.nodeId) !== 'offline') {
    state.offlineTransitions.set(event.data.nodeId, (state.offlineTransitions.get(event.data.nodeId) ?? 0) + 1);
  }
  if (isNodeEvent(event)) return evolveNode(state, event);
  switch (event.type) {
    case 'MeetingCreated': {
      const { tenant, scope, meetingID, nodeId, internalMeetingID } = event.data;
      runOn(state, { tenant, scope, meetingID }, nodeId, internalMeetingID);
      return state;
    }
    case 'MeetingMoved': {
      const { tenant, scope, meetingID, from, to, nodeMeetingID } = event.data;
      const key = meetingKey(scope, meetingID);
      const left = state.leftBehind.get(from) ?? new Map<string, LeftBehind>();
      state.leftBehind.set(from, left);
      left.set(nodeMeetingID, { key, internalMeetingID: state.internalIds.get(key) ?? '' });
      runOn(state, { tenant, scope, meetingID }, to, event.data.internalMeetingID);
      return state;
    }
    case 'MeetingEnded':
    case 'MeetingCreateAbandoned':
    case 'MeetingCreateRefused':
      stop(state, meetingKey(event.data.scope, event.data.meetingID));
      return state;
    default:
      return state;
  }
}

/** The node's view, and the stale copy a report names; a removed node is forgotten with what was left on it. */
function evolveNode(state: FailoverState, event: NodeEvent): FailoverState {
  const { nodeId } = event.data;
  switch (event.type) {
    case 'NodeReportedUnknownMeeting': {
      // A stale copy is ended once: the report that asked for it takes it off the list.
      const { nodeId, nodeMeetingID, internalMeetingID, explanation } = event.data;
      if (explanation === 'endedHere' && staleCopy(state, nodeId, nodeMeetingID, internalMeetingID)) state.leftBehind.get(nodeId)?.delete(nodeMeetingID);
      return state;
    }
    case 'NodeRemoved':
      state.nodes.delete(nodeId);
      state.leftBehind.delete(nodeId);
      return state;
    default: {
      const view = evolveNodeView(state.nodes.get(nodeId), event);
      if (view) state.nodes.set(nodeId, view);
      return state;
    }
  }
}

/** The copy a move left on this node, if the report names that incarnation. */
export function staleCopy(state: FailoverState, nodeId: string, nodeMeetingID: string, internalMeetingID: string): LeftBehind | undefined {
  const left = state.leftBehind.get(nodeId)?.get(nodeMeetingID);
  return left?.internalMeetingID === internalMeetingID ? left : undefined;
}

function runOn(state: FailoverState, meeting: MeetingIdentity, nodeId: string, internalMeetingID: string): void {
  const key = meetingKey(meeting.scope, meeting.meetingID);
  stop(state, key);
  state.internalIds.set(key, internalMeetingID);
  const onNode = state.running.get(nodeId) ?? new Map<string, MeetingIdentity>();
  state.running.set(nodeId, onNode);
  onNode.set(key, meeting);
  state.meetingAt.set(key, nodeId);
}

function stop(state: FailoverState, key: string): void {
  const nodeId = state.meetingAt.get(key);
  if (nodeId !== undefined) state.running.get(nodeId)?.delete(key);
  state.meetingAt.delete(key);
  state.internalIds.delete(key);
}

export const meetingKey = (scope: string, meetingID: string): string => `${scope}\n${meetingID}`;
