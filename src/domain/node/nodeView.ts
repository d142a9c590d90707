import type { NodeAdminState, NodeEvent, NodeLoadReported, NodeRegistered } from './events.js';
import type { NodeHealth } from './health.js';
import type { NodeLoad } from './load.js';

/**
 * One node as its events describe it: the fold every read model, history question and process of the
 * fleet starts from, each adding only what it needs beyond it (a list's registration time, the
 * directory's joins, the decider's reported unknown meetings).
 */
export type NodeView = NodeRegistered['data'] & {
  /** Capacity in load units; null = no cap. */
  maxLoad: number | null;
  adminState: NodeAdminState;
  health: NodeHealth;
  /** Decommissioned and drained: final. */
  removed: boolean;
  /** The last NodeLoadReported, without its node id; null before the first. */
  load: NodeLoad | null;
};

/** The fields a node event changes after registration that every node read model keeps. */
export type NodeStatus = Pick<NodeView, 'tags' | 'maxLoad' | 'adminState' | 'health'>;

/** One event's change to a status field, set-like: applying it twice leaves the same view. */
export type NodeFieldChange =
  | { op: 'setAdminState'; id: string; adminState: NodeAdminState }
  | { op: 'setHealth'; id: string; health: NodeHealth }
  | { op: 'setTags'; id: string; tags: string[] }
  | { op: 'setMaxLoad'; id: string; maxLoad: number | null };

/** What one node event changes in its node's view; read models map it onto their own operations. */
export type NodeViewChange =
  | { op: 'register'; view: NodeView }
  | NodeFieldChange
  /** The report as it came (not copied: load reports are most of a node's events). */
  | { op: 'setLoad'; id: string; load: NodeLoadReported['data'] }
  | { op: 'remove'; id: string };

type AdminEvent = Extract<NodeEvent, { type: 'NodeEnabled' | 'NodeCordoned' | 'NodeDisabled' | 'NodeDecommissioned' }>;

/** The admin state each admin event puts a node in. */
export const ADMIN_STATE_OF: Readonly<Record<AdminEvent['type'], NodeAdminState>> = {
  NodeEnabled: 'enabled',
  NodeCordoned: 'cordoned',
  NodeDisabled: 'disabled',
  NodeDecommissioned: 'decommissioned',
};

/** A registered node starts enabled: health polling, not an extra admin step, gates its traffic. */
export function registeredNodeView(data: NodeRegistered['data']): NodeView {
  return { ...data, tags: [...data.tags], maxLoad: null, adminState: 'enabled', health: 'unknown', removed: false, load: null };
}

/** The one place that says which node event changes what; null for an event the view does not hold. */
export function nodeViewChange(event: NodeEvent): NodeViewChange | null {
  switch (event.type) {
    case 'NodeRegistered':
      return { op: 'register', view: registeredNodeView(event.data) };
    case 'NodeEnabled':
    case 'NodeCordoned':
    case 'NodeDisabled':
    case 'NodeDecommissioned':
      return { op: 'setAdminState', id: event.data.nodeId, adminState: ADMIN_STATE_OF[event.type] };
    case 'NodeHealthChanged':
      return { op: 'setHealth', id: event.data.nodeId, health: event.data.health };
    case 'NodeTagsChanged':
      return { op: 'setTags', id: event.data.nodeId, tags: [...event.data.tags] };
    case 'NodeCapacityChanged':
      return { op: 'setMaxLoad', id: event.data.nodeId, maxLoad: event.data.maxLoad };
    case 'NodeLoadReported':
      return { op: 'setLoad', id: event.data.nodeId, load: event.data };
    case 'NodeRemoved':
      return { op: 'remove', id: event.data.nodeId };
    // The explanation lives in the node's history; the view holds only what the node runs for us.
    case 'NodeReportedUnknownMeeting':
      return null;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** A status change as the one field it sets: a mutable model assigns it, an immutable one spreads it. */
export function nodeFieldOf(change: NodeFieldChange): Partial<NodeStatus> {
  switch (change.op) {
    case 'setAdminState':
      return { adminState: change.adminState };
    case 'setHealth':
      return { health: change.health };
    case 'setTags':
      return { tags: [...change.tags] };
    case 'setMaxLoad':
      return { maxLoad: change.maxLoad };
  }
}

/** Applies a status change to any view that keeps the status fields, and keeps what it adds. */
export function withNodeField<V extends NodeStatus>(view: V, change: NodeFieldChange): V {
  return { ...view, ...nodeFieldOf(change) };
}

/** A removed node stays decommissioned for good; read models that list live nodes drop it instead. */
export function removedNodeView<V extends Pick<NodeView, 'adminState' | 'removed'>>(view: V): V {
  return { ...view, adminState: 'decommissioned', removed: true };
}

/**
 * Pure fold of one node's events; undefined until it is registered. An event before registration
 * cannot come from the decider; ignoring it keeps a replay total.
 */
export function evolveNodeView(view: NodeView | undefined, event: NodeEvent): NodeView | undefined {
  const change = nodeViewChange(event);
  if (change === null) return view;
  if (change.op === 'register') return change.view;
  if (view === undefined) return undefined;
  if (change.op === 'setLoad') {
    const { nodeId: _nodeId, ...load } = change.load;
    return { ...view, load };
  }
  if (change.op === 'remove') return removedNodeView(view);
  return withNodeField(view, change);
}
