import { meetingDecider } from '../domain/meeting/decider.js';
import { isNodeEvent } from '../domain/node/decider.js';
import { evolveNodeView, type NodeView } from '../domain/node/nodeView.js';
import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX, TENANT_STREAM_PREFIX } from '../domain/streams.js';
import { decodeEvent } from '../domain/eventCatalogue.js';
import type { MeetingState } from '../domain/meeting/state.js';
import type { EventStore, Position, RecordedEvent } from '../eventstore/port.js';

export interface FleetMeeting {
  streamId: string;
  tenant: string;
  scope: string;
  meetingID: string;
  /** `running`, or `placing` while its node is being asked to create it. */
  status: 'running' | 'placing';
  joins: number;
}

/** The node's view as of then, without its secret, with the meetings running on it. */
export interface FleetNode extends Pick<NodeView, 'nodeId' | 'url' | 'tags' | 'loadFactor' | 'adminState' | 'health'> {
  meetings: FleetMeeting[];
}

export interface FleetAsOf {
  asOf: string;
  /** Position of the last event folded; null when none. */
  position: Position | null;
  events: number;
  nodes: FleetNode[];
  tenants: string[];
}

/** Where the fold stops: at an instant (events decided at or before it), or just before a position. */
export type FleetBound = { at: Date } | { before: Position; at: Date };

/**
 * Every node's admin state and health and the meetings running on it, folded from $all with the node view and
 * the meeting decider, nothing stored. A whole-log scan: fine for an audit question, not for a hot path.
 */
export async function fleetAsOf(store: EventStore, bound: FleetBound): Promise<FleetAsOf> {
  const limit = bound.at.getTime();
  const nodes = new Map<string, NodeView>();
  const meetings = new Map<string, MeetingState>();
  const tenants = new Set<string>();
  let position: Position | null = null;
  let events = 0;
  for await (const recorded of store.readAll()) {
    if ('before' in bound && recorded.position >= bound.before) break;
    if (Date.parse(recorded.metadata.at) > limit) continue;
    if (!foldOne(recorded, nodes, meetings, tenants)) continue;
    position = recorded.position;
    events += 1;
  }
  return { asOf: bound.at.toISOString(), position, events, nodes: fleetNodes(nodes, meetings), tenants: [...tenants].sort() };
}

function foldOne(recorded: RecordedEvent, nodes: Map<string, NodeView>, meetings: Map<string, MeetingState>, tenants: Set<string>): boolean {
  const { streamId } = recorded;
  if (streamId.startsWith(NODE_STREAM_PREFIX)) {
    const event = decodeEvent(recorded);
    if (!isNodeEvent(event)) return false;
    const view = evolveNodeView(nodes.get(streamId), event);
    if (view) nodes.set(streamId, view);
    return true;
  }
  if (streamId.startsWith(MEETING_STREAM_PREFIX)) {
    meetings.set(streamId, meetingDecider.evolve(meetings.get(streamId) ?? meetingDecider.initialState(), meetingDecider.decode(recorded)));
    return true;
  }
  if (streamId.startsWith(TENANT_STREAM_PREFIX)) {
    if (recorded.type === 'TenantRegistered') tenants.add(streamId.slice(TENANT_STREAM_PREFIX.length));
    return true;
  }
  return false;
}

function fleetNodes(nodes: Map<string, NodeView>, meetings: Map<string, MeetingState>): FleetNode[] {
  const byNode = new Map<string, FleetMeeting[]>();
  for (const [streamId, m] of meetings) {
    if (m.status === 'idle' || m.nodeId === undefined) continue;
    const joins = m.status === 'running' ? m.joins.moderators + m.joins.viewers : 0;
    const list = byNode.get(m.nodeId) ?? [];
    list.push({ streamId, tenant: m.tenant, scope: m.scope, meetingID: m.meetingID, status: m.status, joins });
    byNode.set(m.nodeId, list);
  }
  const out: FleetNode[] = [];
  for (const node of nodes.values()) {
    const { nodeId, url, tags, loadFactor, adminState, health } = node;
    const list = (byNode.get(nodeId) ?? []).sort((a, b) => (a.streamId < b.streamId ? -1 : 1));
    out.push({ nodeId, url, tags, loadFactor, adminState, health, meetings: list });
  }
  return out.sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
}
