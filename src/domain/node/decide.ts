import { IllegalStateError, NotFoundError } from '../errors.js';
import type { CordonNode, DisableNode, EnableNode, NodeCommand, RegisterNode } from './commands.js';
import type { NodeAdminState, NodeEvent, NodeRegistered } from './events.js';
import type { NodeState } from './state.js';
import { normaliseNodeUrl, normaliseTags, validLoadFactor, validNodeId, validSecret } from './validation.js';

/** What every decide receives besides state and command; no decision about nodes needs the clock yet. */
export interface DecideContext {
  now: Date;
}

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
      tags: normaliseTags(data.tags),
      loadFactor: validLoadFactor(data.loadFactor),
    },
  };
  if (state.status === 'unregistered') return [registered];
  const { nodeId, url, secret, tags, loadFactor } = state;
  if (sameRegistration(registered.data, { nodeId, url, secret, tags, loadFactor })) return [];
  throw new IllegalStateError(`node ${state.nodeId} is already registered with different settings`);
}

const ADMIN_EVENT = { enabled: 'NodeEnabled', cordoned: 'NodeCordoned', disabled: 'NodeDisabled' } as const;

export function changeAdminState(
  command: EnableNode | CordonNode | DisableNode,
  state: NodeState,
  target: NodeAdminState,
): NodeEvent[] {
  if (state.status === 'unregistered') throw new NotFoundError(`node ${command.data.nodeId} is not registered`);
  if (state.adminState === target) return [];
  return [{ type: ADMIN_EVENT[target], data: { nodeId: state.nodeId } }];
}

function sameRegistration(a: NodeRegistered['data'], b: NodeRegistered['data']): boolean {
  return (
    a.nodeId === b.nodeId &&
    a.url === b.url &&
    a.secret === b.secret &&
    a.loadFactor === b.loadFactor &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}
