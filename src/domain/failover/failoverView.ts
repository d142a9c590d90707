import type { DomainEvent } from '../eventCatalogue.js';
import type { MeetingIdentity } from '../meeting/events.js';
import type { NodeHealth } from '../node/health.js';
import type { FailoverTrigger } from './failoverPlan.js';

/**
 * What the failover saga asks for: move one meeting off a node that went offline, or end the stale copy a
 * node came back with after its meetings were moved (the copy is not ours any more; left running it would
 * hold a seat and confuse anyone looking at the node). `key` orders the work per meeting.
 */
export type FailoverWork =
  | { kind: 'move'; key: string; meeting: MeetingIdentity; trigger: FailoverTrigger }
  | { kind: 'endStale'; key: string; nodeId: string; nodeMeetingID: string; internalMeetingID: string };

interface LeftBehind {
  key: string;
  internalMeetingID: string;
}

/**
 * The node and meeting log folded for failover: node health, which meetings run where, and what moves
 * left behind. Pure and in memory; `apply` returns the work an event asks for. Replayed offline transitions
 * ask again; the work re-reads the meeting's stream and does nothing when the meeting moved on since.
 */
export class FailoverView {
  private readonly health = new Map<string, NodeHealth>();
  private readonly offlineTransitions = new Map<string, number>();
  /** node → meeting key → identity, for running meetings */
  private readonly running = new Map<string, Map<string, MeetingIdentity>>();
  /** meeting key → node it runs on */
  private readonly meetingAt = new Map<string, string>();
  /** node → node meeting id → the incarnation a move left there */
  private readonly leftBehind = new Map<string, Map<string, LeftBehind>>();
  /** meeting key → internal id on the node it runs on, so a move knows what it leaves behind */
  private readonly internalIds = new Map<string, string>();

  isOffline(nodeId: string): boolean {
    return this.health.get(nodeId) === 'offline';
  }

  /** Where the meeting runs now, per the log; undefined when it does not. */
  nodeOf(key: string): string | undefined {
    return this.meetingAt.get(key);
  }

  apply(event: DomainEvent): FailoverWork[] {
    switch (event.type) {
      case 'NodeHealthChanged':
        return this.healthChanged(event.data.nodeId, event.data.health);
      case 'MeetingCreated': {
        const { tenant, scope, meetingID, nodeId, internalMeetingID } = event.data;
        this.runOn({ tenant, scope, meetingID }, nodeId, internalMeetingID);
        return [];
      }
      case 'MeetingMoved': {
        const { tenant, scope, meetingID, from, to, nodeMeetingID } = event.data;
        const key = meetingKey(scope, meetingID);
        const left = this.leftBehind.get(from) ?? new Map<string, LeftBehind>();
        this.leftBehind.set(from, left);
        left.set(nodeMeetingID, { key, internalMeetingID: this.internalIds.get(key) ?? '' });
        this.runOn({ tenant, scope, meetingID }, to, event.data.internalMeetingID);
        return [];
      }
      case 'MeetingEnded':
      case 'MeetingCreateAbandoned':
      case 'MeetingCreateRefused':
        this.stop(meetingKey(event.data.scope, event.data.meetingID));
        return [];
      case 'NodeReportedUnknownMeeting': {
        const { nodeId, nodeMeetingID, internalMeetingID, explanation } = event.data;
        const left = this.leftBehind.get(nodeId)?.get(nodeMeetingID);
        if (explanation !== 'endedHere' || left?.internalMeetingID !== internalMeetingID) return [];
        this.leftBehind.get(nodeId)?.delete(nodeMeetingID);
        return [{ kind: 'endStale', key: left.key, nodeId, nodeMeetingID, internalMeetingID }];
      }
      case 'NodeRemoved':
        this.health.delete(event.data.nodeId);
        this.leftBehind.delete(event.data.nodeId);
        return [];
      default:
        return [];
    }
  }

  private healthChanged(nodeId: string, health: NodeHealth): FailoverWork[] {
    const before = this.health.get(nodeId);
    this.health.set(nodeId, health);
    if (health !== 'offline' || before === 'offline') return [];
    const transition = (this.offlineTransitions.get(nodeId) ?? 0) + 1;
    this.offlineTransitions.set(nodeId, transition);
    const trigger: FailoverTrigger = { from: nodeId, offlineId: `${nodeId}#offline${transition}` };
    return [...(this.running.get(nodeId)?.entries() ?? [])].map(([key, meeting]) => ({ kind: 'move', key, meeting, trigger }));
  }

  private runOn(meeting: MeetingIdentity, nodeId: string, internalMeetingID: string): void {
    const key = meetingKey(meeting.scope, meeting.meetingID);
    this.stop(key);
    this.internalIds.set(key, internalMeetingID);
    const onNode = this.running.get(nodeId) ?? new Map<string, MeetingIdentity>();
    this.running.set(nodeId, onNode);
    onNode.set(key, meeting);
    this.meetingAt.set(key, nodeId);
  }

  private stop(key: string): void {
    const nodeId = this.meetingAt.get(key);
    if (nodeId !== undefined) this.running.get(nodeId)?.delete(key);
    this.meetingAt.delete(key);
    this.internalIds.delete(key);
  }
}

export const meetingKey = (scope: string, meetingID: string): string => `${scope}\n${meetingID}`;
