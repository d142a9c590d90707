import { asyncScheduler, defer, mergeMap, tap, type Observable } from 'rxjs';
import type { DomainEvent } from '../domain/eventCatalogue.js';
import { participantsChanged } from '../domain/meeting/decide.js';
import { nextHealth } from '../domain/node/health.js';
import { isMaterialLoadChange, nodeLoadOf, type LoadMateriality } from '../domain/node/load.js';
import { drainDue } from '../domain/reconciliation/drain.js';
import { FRESH_MEMORY, reconcile, type PollMemory, type ReconcilePolicy, type Reconciliation } from '../domain/reconciliation/reconcile.js';
import type { FleetEffect } from './fleetEffects.js';
import { FleetView, type FleetNode } from './fleetView.js';
import { nodePolls, probeResultCommand, type NodeHealthSagaOptions, type NodePoll } from './nodeHealthSaga.js';

export interface FleetSagaOptions extends NodeHealthSagaOptions {
  materiality: LoadMateriality;
  reconcile: ReconcilePolicy;
}

/**
 * Node and meeting events → the one poll loop per node → per poll: a health command when the health
 * changes, a NodeLoadReported when the load changed materially, the reconciliation of the node's meetings
 * with ours, and the end of a drain. The reactions are pure (`reactToPoll`); this is plumbing.
 */
export function fleetSaga(events$: Observable<DomainEvent>, options: FleetSagaOptions): Observable<FleetEffect> {
  return defer(() => {
    const clock = options.scheduler ?? asyncScheduler;
    const view = new FleetView(() => clock.now());
    const memories = new Map<string, PollMemory>();
    return nodePolls(events$.pipe(tap((event) => view.apply(event))), options).pipe(
      mergeMap((poll) => {
        const node = view.node(poll.target.nodeId);
        if (!node) return [];
        const { effects, memory } = reactToPoll(poll, node, memories.get(poll.target.nodeId) ?? FRESH_MEMORY, options);
        memories.set(poll.target.nodeId, memory);
        noteSent(view, node, effects, poll);
        return effects;
      }),
    );
  });
}

/** Pure: what one poll of one node asks for, given what the log says about the node and its meetings. */
export function reactToPoll(poll: NodePoll, node: Readonly<FleetNode>, memory: PollMemory, options: FleetSagaOptions): { effects: FleetEffect[]; memory: PollMemory } {
  const nodeId = poll.target.nodeId;
  const pollId = `${nodeId}/${poll.at}`;
  const effect = (subject: string, rest: DistributiveOmit<FleetEffect, 'id' | 'nodeId' | 'pollId'>): FleetEffect => ({ id: `${pollId}/${subject}`, nodeId, pollId, ...rest }) as FleetEffect;
  const effects: FleetEffect[] = [];
  // 1. health: only a result that changes it is worth a command (the aggregate decides it again)
  const next = nextHealth({ health: node.health, ...poll.streak }, poll.result, options.thresholds);
  if (next.health !== node.health && next.health !== 'unknown') {
    effects.push(effect('health', { kind: 'node', actor: 'nodeHealth', command: probeResultCommand(poll, options.thresholds) }));
  }
  // 2. load, when it changed materially
  if (poll.meetings) {
    const load = nodeLoadOf(poll.meetings, poll.cpu, poll.memory ?? null);
    if (isMaterialLoadChange(node.lastLoad, load, options.materiality)) {
      effects.push(effect('load', { kind: 'observed', actor: 'nodeLoad', event: { type: 'NodeLoadReported', data: { nodeId, ...load } } }));
    }
  }
  // 3. the node's meetings against ours
  const observation = { at: poll.at, meetings: poll.meetings, nodeAvailable: node.health === 'available' };
  const reconciled = reconcile(memory, observation, node, options.reconcile);
  for (const decision of reconciled.decisions) effects.push(effectOf(decision, nodeId, poll.at, effect));
  // 4. a cordoned or decommissioned node with nothing of ours left on it
  if (drainDue(node)) effects.push(effect('drain', { kind: 'node', actor: 'drain', command: { type: 'CompleteDrain', data: { nodeId } } }));
  return { effects, memory: reconciled.memory };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function effectOf(
  decision: Reconciliation,
  nodeId: string,
  at: number,
  effect: (subject: string, rest: DistributiveOmit<FleetEffect, 'id' | 'nodeId' | 'pollId'>) => FleetEffect,
): FleetEffect {
  switch (decision.kind) {
    case 'gone': {
      const { tenant, scope, meetingID, internalMeetingID } = decision.meeting;
      const command = { type: 'RecordMeetingGoneFromNode' as const, data: { tenant, scope, meetingID, nodeId, internalMeetingID, reason: decision.reason, evidence: decision.evidence } };
      return effect(`gone/${decision.meeting.nodeMeetingID}`, { kind: 'meeting', actor: 'reconciliation', command });
    }
    case 'counts':
      return effect(`counts/${decision.meeting.nodeMeetingID}`, {
        kind: 'observed',
        actor: 'reconciliation',
        event: participantsChanged(decision.meeting, nodeId, decision.counts, new Date(at)),
      });
    case 'unknown': {
      const { meetingID, internalMeetingID, meetingName, createTime, participantCount } = decision.meeting;
      const data = { nodeId, nodeMeetingID: meetingID, internalMeetingID, name: meetingName, createTime, participantCount, explanation: decision.explanation, detail: decision.detail };
      return effect(`unknown/${internalMeetingID}`, { kind: 'node', actor: 'reconciliation', command: { type: 'RecordUnknownMeeting', data } });
    }
  }
}

/** Until the events come back through the log, the view takes the saga's word; polls prune what the node dropped. */
function noteSent(view: FleetView, node: FleetNode, effects: readonly FleetEffect[], poll: NodePoll): void {
  for (const e of effects) {
    if (e.kind === 'observed' && e.event.type === 'NodeLoadReported') {
      const { nodeId: _nodeId, ...load } = e.event.data;
      node.lastLoad = load;
    } else if (e.kind === 'observed' && e.event.type === 'MeetingParticipantsChanged') {
      const { scope, meetingID, participantCount, moderatorCount, listenerCount, voice, video, running } = e.event.data;
      view.noteCounts(scope, meetingID, { participantCount, moderatorCount, listenerCount, voice, video, running });
    } else if (e.kind === 'node' && e.command.type === 'RecordUnknownMeeting') {
      node.reported.add(e.command.data.internalMeetingID);
    }
  }
  if (!poll.meetings) return;
  const listedIds = new Set(poll.meetings.map((m) => m.meetingID));
  const listedInternal = new Set(poll.meetings.map((m) => m.internalMeetingID));
  for (const id of node.endedHere.keys()) if (!listedIds.has(id)) node.endedHere.delete(id);
  for (const id of node.reported) if (!listedInternal.has(id)) node.reported.delete(id);
}
