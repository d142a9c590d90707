import type { DecideContext } from '../decider.js';
import { IllegalStateError, NotFoundError } from '../errors.js';
import type { AdminNodeCommand, ChangeNodeTags, CompleteDrain, NodeCommand, RecordProbeResult, RecordUnknownMeeting, RegisterNode } from './commands.js';
import type { NodeAdminState, NodeEvent, NodeHealthChanged, NodeRegistered, NodeReportedUnknownMeeting, NodeTagsChanged } from './events.js';
import { setNodeCapacity } from './capacity.js';
import { nextHealth } from './health.js';
import type { NodeState } from './state.js';
import { normaliseNodeUrl, normaliseTags, validChecksumAlgorithm, validLoadFactor, validNodeId, validSecret } from './validation.js';

export function decide(command: NodeCommand, state: NodeState, _context: DecideContext): NodeEvent[] {
  switch (command.type) {
    case 'RegisterNode':
      return registerNode(command, state);
    case 'EnableNode':
      return changeAdminState(command, state, 'enabled');
    case 'CordonNode':
      return changeAdminState(command, state, 'cordoned');
    case 'DisableNode':
      return changeAdminState(command, state, 'disabled');
    case 'DecommissionNode':
      return changeAdminState(command, state, 'decommissioned');
    case 'RecordProbeResult':
      return recordProbeResult(command, state);
    case 'CompleteDrain':
      return completeDrain(command, state);
    case 'RecordUnknownMeeting':
      return recordUnknownMeeting(command, state);
    case 'SetNodeCapacity':
      return setNodeCapacity(command, state);
    case 'ChangeNodeTags':
      return changeNodeTags(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown node command ${JSON.stringify(unknown)}`);
    }
  }
}

export function registerNode(command: RegisterNode, state: NodeState): NodeRegistered[] {
  const { data } = command;
  const registered: NodeRegistered = {
    type: 'NodeRegistered',
    data: {
      nodeId: validNodeId(data.nodeId),
      url: normaliseNodeUrl(data.url),
      secret: validSecret(data.secret),
      checksumAlgorithm: validChecksumAlgorithm(data.checksumAlgorithm),
      tags: normaliseTags(data.tags),
      loadFactor: validLoadFactor(data.loadFactor),
    },
  };
  if (state.status === 'unregistered') return [registered];
  const { nodeId, url, secret, checksumAlgorithm, tags, loadFactor } = state;
  if (sameRegistration(registered.data, { nodeId, url, secret, checksumAlgorithm, tags, loadFactor })) return [];
  throw new IllegalStateError(`node ${state.nodeId} is already registered with different settings`);
}

function adminEvent(nodeId: string, target: NodeAdminState): NodeEvent {
  switch (target) {
    case 'enabled':
      return { type: 'NodeEnabled', data: { nodeId } };
    case 'cordoned':
      return { type: 'NodeCordoned', data: { nodeId } };
    case 'disabled':
      return { type: 'NodeDisabled', data: { nodeId, reason: 'operator' } };
    case 'decommissioned':
      return { type: 'NodeDecommissioned', data: { nodeId } };
  }
}

export function changeAdminState(command: AdminNodeCommand, state: NodeState, target: NodeAdminState): NodeEvent[] {
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.adminState === target) return [];
  if (state.adminState === 'decommissioned') {
    throw new IllegalStateError(`node ${state.nodeId} is decommissioned; that is final (register a new node instead)`);
  }
  return [adminEvent(state.nodeId, target)];
}

/** Idempotent: the saga may ask again before it has seen its own event. Only it knows the node is empty. */
export function completeDrain(command: CompleteDrain, state: NodeState): NodeEvent[] {
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.removed) return [];
  if (state.adminState === 'cordoned') return [{ type: 'NodeDisabled', data: { nodeId: state.nodeId, reason: 'drained' } }];
  if (state.adminState === 'decommissioned') return [{ type: 'NodeRemoved', data: { nodeId: state.nodeId, reason: 'drained' } }];
  // Enabled again (or disabled by hand) since the saga looked: nothing to complete.
  return [];
}

/** Once per incarnation on the node (its internalMeetingID), however many polls see it. */
export function recordUnknownMeeting(command: RecordUnknownMeeting, state: NodeState): NodeReportedUnknownMeeting[] {
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.removed || state.unknownReported.includes(command.data.internalMeetingID)) return [];
  return [{ type: 'NodeReportedUnknownMeeting', data: { ...command.data, nodeId: state.nodeId } }];
}

/** New tags apply to the next placements; meetings already on the node stay where they are. */
export function changeNodeTags(command: ChangeNodeTags, state: NodeState): NodeTagsChanged[] {
  const tags = normaliseTags(command.data.tags);
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.removed) throw new IllegalStateError(`node ${state.nodeId} was removed; its tags no longer matter`);
  if (tags.length === state.tags.length && tags.every((tag, i) => tag === state.tags[i])) return [];
  return [{ type: 'NodeTagsChanged', data: { nodeId: state.nodeId, tags } }];
}

/** Health is the aggregate's, from the log; the streak before this result is the saga's count. */
export function recordProbeResult(command: RecordProbeResult, state: NodeState): NodeHealthChanged[] {
  const { result, streak, thresholds } = command.data;
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  // A probe that was in flight when the node was removed: nobody routes by its health any more.
  if (state.removed) return [];
  const next = nextHealth({ health: state.health, ...streak }, result, thresholds);
  if (next.health === state.health || next.health === 'unknown') return [];
  const data = { nodeId: state.nodeId, health: next.health, previous: state.health };
  return [
    result.ok
      ? { type: 'NodeHealthChanged', data: { ...data, reason: 'probeSucceeded', detail: `${next.successes} consecutive successful probe(s)` } }
      : { type: 'NodeHealthChanged', data: { ...data, reason: result.reason, detail: result.detail } },
  ];
}

function sameRegistration(a: NodeRegistered['data'], b: NodeRegistered['data']): boolean {
  return (
    a.nodeId === b.nodeId &&
    a.url === b.url &&
    a.secret === b.secret &&
    a.checksumAlgorithm === b.checksumAlgorithm &&
    a.loadFactor === b.loadFactor &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}
