import type { NodeMeeting } from '../../domain/bbb/getMeetingsResponse.js';
import { participantsChanged } from '../../domain/meeting/decide.js';
import type { RecordProbeResult } from '../../domain/node/commands.js';
import { nextHealth, type HealthThresholds, type ProbeResult, type ProbeStreak } from '../../domain/node/health.js';
import { isMaterialLoadChange, nodeLoadOf, type LoadMateriality } from '../../domain/node/load.js';
import { drainDue } from '../../domain/reconciliation/drain.js';
import { reconcile, type PollMemory, type ReconcilePolicy, type Reconciliation } from '../../domain/reconciliation/reconcile.js';
import type { ProbeTarget } from '../nodeProber.js';
import type { Effect, Observation, ProcessCommand } from '../process/process.js';
import type { FleetNode, FleetView } from './fleetView.js';

/** Which part of the fleet speaks: its `saga:<name>` becomes the actor of the resulting events. */
export type FleetActor = 'nodeHealth' | 'nodeLoad' | 'reconciliation' | 'drain';

/** One poll of one node: when it started, its health result, and what the node answered when it did. */
export interface NodePoll {
  target: ProbeTarget;
  /** Poll start, ms on the runtime's clock. */
  at: number;
  result: ProbeResult;
  /** Consecutive results before this one. */
  streak: ProbeStreak;
  meetings: NodeMeeting[] | null;
  cpu: number | null;
  memory?: number | null;
}

export interface PollReactionOptions {
  thresholds: HealthThresholds;
  materiality: LoadMateriality;
  reconcile: ReconcilePolicy;
}

export function probeResultCommand(poll: NodePoll, thresholds: HealthThresholds): RecordProbeResult {
  return { type: 'RecordProbeResult', data: { nodeId: poll.target.nodeId, result: poll.result, streak: poll.streak, thresholds } };
}

/**
 * Pure: what one poll of one node asks for, given what the log says about the node and its meetings: a
 * health command when the health changes, a NodeLoadReported when the load changed materially, the
 * reconciliation of the node's meetings with ours, and the end of a drain. Ids derive from the node, the
 * poll's start and the subject, so the same reaction sent twice appends nothing new.
 */
export function reactToPoll(poll: NodePoll, node: Readonly<FleetNode>, memory: PollMemory, options: PollReactionOptions): { effects: Effect[]; memory: PollMemory } {
  const nodeId = poll.target.nodeId;
  const pollId = `${nodeId}/${poll.at}`;
  const command = (subject: string, actor: FleetActor, command: ProcessCommand): Effect => ({ kind: 'command', id: `${pollId}/${subject}`, key: nodeId, actor, correlation: pollId, command });
  const observe = (subject: string, actor: FleetActor, event: Observation): Effect => ({ kind: 'observe', id: `${pollId}/${subject}`, key: nodeId, actor, correlation: pollId, event });
  const effects: Effect[] = [];
  // 1. health: only a result that changes it is worth a command (the aggregate decides it again)
  const { health, load: lastLoad, adminState, removed } = node.view;
  const next = nextHealth({ health, ...poll.streak }, poll.result, options.thresholds);
  if (next.health !== health && next.health !== 'unknown') effects.push(command('health', 'nodeHealth', probeResultCommand(poll, options.thresholds)));
  // 2. load, when it changed materially
  if (poll.meetings) {
    const load = nodeLoadOf(poll.meetings, poll.cpu, poll.memory ?? null);
    if (isMaterialLoadChange(lastLoad, load, options.materiality)) effects.push(observe('load', 'nodeLoad', { type: 'NodeLoadReported', data: { nodeId, ...load } }));
  }
  // 3. the node's meetings against ours
  const observation = { at: poll.at, meetings: poll.meetings, nodeAvailable: health === 'available' };
  const reconciled = reconcile(memory, observation, node, options.reconcile);
  for (const decision of reconciled.decisions) effects.push(effectOf(decision, nodeId, poll.at, command, observe));
  // 4. a cordoned or decommissioned node with nothing of ours left on it
  if (drainDue({ adminState, removed, ours: node.ours })) effects.push(command('drain', 'drain', { type: 'CompleteDrain', data: { nodeId } }));
  return { effects, memory: reconciled.memory };
}

function effectOf(
  decision: Reconciliation,
  nodeId: string,
  at: number,
  command: (subject: string, actor: FleetActor, command: ProcessCommand) => Effect,
  observe: (subject: string, actor: FleetActor, event: Observation) => Effect,
): Effect {
  switch (decision.kind) {
    case 'gone': {
      const { tenant, scope, meetingID, internalMeetingID } = decision.meeting;
      const data = { tenant, scope, meetingID, nodeId, internalMeetingID, reason: decision.reason, evidence: decision.evidence };
      return command(`gone/${decision.meeting.nodeMeetingID}`, 'reconciliation', { type: 'RecordMeetingGoneFromNode', data });
    }
    case 'counts':
      return observe(`counts/${decision.meeting.nodeMeetingID}`, 'reconciliation', participantsChanged(decision.meeting, nodeId, decision.counts, new Date(at)));
    case 'unknown': {
      const { meetingID, internalMeetingID, meetingName, createTime, participantCount } = decision.meeting;
      const data = { nodeId, nodeMeetingID: meetingID, internalMeetingID, name: meetingName, createTime, participantCount, explanation: decision.explanation, detail: decision.detail };
      return command(`unknown/${internalMeetingID}`, 'reconciliation', { type: 'RecordUnknownMeeting', data });
    }
  }
}

/** Until the events come back through the log, the view takes the process's word; polls prune what the node dropped. */
export function noteSent(view: FleetView, node: FleetNode, effects: readonly Effect[], poll: NodePoll): void {
  for (const e of effects) {
    if (e.kind === 'observe' && e.event.type === 'NodeLoadReported') {
      const { nodeId: _nodeId, ...load } = e.event.data;
      node.view = { ...node.view, load };
    } else if (e.kind === 'observe' && e.event.type === 'MeetingParticipantsChanged') {
      const { scope, meetingID, participantCount, moderatorCount, listenerCount, voice, video, running } = e.event.data;
      view.noteCounts(scope, meetingID, { participantCount, moderatorCount, listenerCount, voice, video, running });
    } else if (e.kind === 'command' && e.command.type === 'RecordUnknownMeeting') {
      node.reported.add(e.command.data.internalMeetingID);
    }
  }
  if (!poll.meetings) return;
  const listedIds = new Set(poll.meetings.map((m) => m.meetingID));
  const listedInternal = new Set(poll.meetings.map((m) => m.internalMeetingID));
  for (const id of node.endedHere.keys()) if (!listedIds.has(id)) node.endedHere.delete(id);
  for (const id of node.reported) if (!listedInternal.has(id)) node.reported.delete(id);
}
