import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { MeetingCounts } from '../../domain/meeting/events.js';
import { isNodeEvent } from '../../domain/node/decider.js';
import { evolveNodeView, registeredNodeView, type NodeView } from '../../domain/node/nodeView.js';
import type { OurMeeting } from '../../domain/reconciliation/reconcile.js';

/**
 * One node as the fleet knows it: the domain's node view (admin state, health, removed, the last load,
 * which the process also sets from what it has just sent and not seen back yet) and its meetings.
 */
export interface FleetNode {
  view: NodeView;
  /** Our placing and running meetings, by node meeting id. */
  ours: Map<string, OurMeeting>;
  /** Node meeting ids that ended in our log on this node → the end reason; pruned by polls. */
  endedHere: Map<string, string>;
  /** internalMeetingIDs reported as unknown; pruned by polls. */
  reported: Set<string>;
}

/**
 * The node and meeting log folded for the poll's reactions, in this process. Mutable on purpose: it
 * follows every meeting event of the fleet, and the reactions read it at each poll.
 */
export class FleetView {
  private readonly nodes = new Map<string, FleetNode>();
  /** `<scope>\n<meetingID>` → where the meeting is, so events without a node id find it. */
  private readonly meetingAt = new Map<string, { nodeId: string; nodeMeetingID: string }>();

  node(nodeId: string): FleetNode | undefined {
    return this.nodes.get(nodeId);
  }

  /** `at` stamps when this process learnt of a meeting: the reconciliation grace counts from there. */
  apply(event: DomainEvent, at: number): void {
    switch (event.type) {
      case 'NodeRegistered':
        if (!this.nodes.has(event.data.nodeId)) {
          this.nodes.set(event.data.nodeId, { view: registeredNodeView(event.data), ours: new Map(), endedHere: new Map(), reported: new Set() });
        }
        return;
      case 'NodeReportedUnknownMeeting':
        return this.update(event.data.nodeId, (n) => n.reported.add(event.data.internalMeetingID));
      case 'MeetingPlaced':
      case 'MeetingCreated': {
        const { tenant, scope, meetingID, nodeId, nodeMeetingID } = event.data;
        this.forget(scope, meetingID);
        const internalMeetingID = event.type === 'MeetingCreated' ? event.data.internalMeetingID : null;
        const status = event.type === 'MeetingCreated' ? 'running' : 'placing';
        const ours: OurMeeting = { tenant, scope, meetingID, nodeMeetingID, status, internalMeetingID, since: at, counts: null, lastJoinAt: null };
        this.nodes.get(nodeId)?.ours.set(nodeMeetingID, ours);
        this.meetingAt.set(key(scope, meetingID), { nodeId, nodeMeetingID });
        return;
      }
      case 'MeetingParticipantsChanged': {
        const { scope, meetingID, participantCount, moderatorCount, listenerCount, voice, video, running } = event.data;
        return this.noteCounts(scope, meetingID, { participantCount, moderatorCount, listenerCount, voice, video, running });
      }
      case 'MeetingCreateFailed':
      case 'MeetingCreateAbandoned':
      case 'MeetingCreateRefused':
        this.forget(event.data.scope, event.data.meetingID);
        return;
      case 'MeetingEnded': {
        const at = this.forget(event.data.scope, event.data.meetingID);
        if (at) this.nodes.get(at.nodeId)?.endedHere.set(at.nodeMeetingID, `ended with reason ${event.data.reason}`);
        return;
      }
      case 'MeetingMoved': {
        // Ours on `to` from now on; a copy left on `from` (back from the dead) is not ours any more.
        const { tenant, scope, meetingID, from, to, nodeMeetingID, internalMeetingID } = event.data;
        this.forget(scope, meetingID);
        this.nodes.get(from)?.endedHere.set(nodeMeetingID, `moved to node ${to} by failover`);
        this.nodes.get(to)?.ours.set(nodeMeetingID, { tenant, scope, meetingID, nodeMeetingID, status: 'running', internalMeetingID, since: at, counts: null, lastJoinAt: null });
        this.meetingAt.set(key(scope, meetingID), { nodeId: to, nodeMeetingID });
        return;
      }
      case 'MeetingJoined': {
        const at = this.meetingAt.get(key(event.data.scope, event.data.meetingID));
        const ours = at && this.nodes.get(at.nodeId)?.ours.get(at.nodeMeetingID);
        if (ours) ours.lastJoinAt = lastJoinOf(event.data);
        return;
      }
      default:
        if (isNodeEvent(event)) return this.update(event.data.nodeId, (n) => (n.view = evolveNodeView(n.view, event) ?? n.view));
        // Joins and tenant events: polls learn the real counts, and tenants do not run on nodes.
        return;
    }
  }

  /** What the saga has just sent, so the next poll does not send it again before the event is back. */
  noteCounts(scope: string, meetingID: string, counts: MeetingCounts): void {
    const at = this.meetingAt.get(key(scope, meetingID));
    const ours = at && this.nodes.get(at.nodeId)?.ours.get(at.nodeMeetingID);
    if (ours) ours.counts = counts;
  }

  private forget(scope: string, meetingID: string): { nodeId: string; nodeMeetingID: string } | undefined {
    const at = this.meetingAt.get(key(scope, meetingID));
    if (!at) return undefined;
    this.meetingAt.delete(key(scope, meetingID));
    this.nodes.get(at.nodeId)?.ours.delete(at.nodeMeetingID);
    return at;
  }

  private update(nodeId: string, change: (node: FleetNode) => void): void {
    const node = this.nodes.get(nodeId);
    if (node) change(node);
  }
}

const key = (scope: string, meetingID: string): string => `${scope}\n${meetingID}`;

/** A join's time: `at` of one join (schema v1), or `to`, the last of a window of joins. */
function lastJoinOf(data: object): number | null {
  const fields = data as Record<string, unknown>;
  const time = fields.to ?? fields.at;
  return typeof time === 'string' ? Date.parse(time) : null;
}
