import { FAILOVER_NAMESPACE } from '../../domain/ids.js';
import type { FailoverTrigger } from '../../domain/failover/failoverPlan.js';
import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX } from '../../domain/streams.js';
import type { Effect, Process, ProcessInput, Reaction } from '../process/process.js';
import { evolveFailover, healthOf, initialFailoverState, staleCopy, type FailoverState } from './failoverState.js';

export const FAILOVER_PROCESS = 'failover';

export interface FailoverOptions {
  /** How long ending a stale copy on a node may take; the node client's own timeout answers first. */
  callTimeoutMs: number;
}

/**
 * On a node's NodeHealthChanged → offline, every meeting running there is to be moved (the workflow in
 * src/commands/moveMeeting.ts re-creates it elsewhere, or ends it with reason failover), in order per
 * meeting; when the node comes back and reconciliation reports a moved meeting's stale copy, that copy is
 * ended on it. Replayed offline transitions ask again: the workflow re-reads the meeting's stream and does
 * nothing when the meeting moved on since, and the command ids derive from the transition.
 */
export function failoverProcess(options: FailoverOptions): Process<FailoverState> {
  return {
    name: FAILOVER_PROCESS,
    subscribes: { streamPrefixes: [NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX] },
    idNamespace: FAILOVER_NAMESPACE,
    initialState: initialFailoverState,
    evolve: evolveFailover,
    react: (state, input) => react(state, input, options),
    stillWanted(state, effect) {
      // The node may have come back while the move waited its turn; the meeting may be back on the node.
      if (effect.kind === 'command' && effect.command.type === 'FailoverMeeting') return healthOf(state, effect.command.data.trigger.from) === 'offline';
      if (effect.kind === 'callNode' && effect.call.call === 'api') return state.meetingAt.get(effect.key) !== effect.call.nodeId;
      return true;
    },
  };
}

/** Sees the state before the event: a node going offline is a transition only when it was not offline already. */
function react(state: FailoverState, input: ProcessInput, options: FailoverOptions): Reaction<FailoverState> {
  if (input.kind !== 'event') return { effects: [] };
  const { event } = input;
  switch (event.type) {
    case 'NodeHealthChanged': {
      const { nodeId, health } = event.data;
      if (health !== 'offline' || healthOf(state, nodeId) === 'offline') return { effects: [] };
      const trigger: FailoverTrigger = { from: nodeId, offlineId: `${nodeId}#offline${(state.offlineTransitions.get(nodeId) ?? 0) + 1}` };
      const effects = [...(state.running.get(nodeId)?.entries() ?? [])].map(
        ([key, meeting]): Effect => ({ kind: 'command', id: trigger.offlineId, key, actor: FAILOVER_PROCESS, correlation: trigger.offlineId, command: { type: 'FailoverMeeting', data: { meeting, trigger } } }),
      );
      return { effects };
    }
    case 'NodeReportedUnknownMeeting': {
      const { nodeId, nodeMeetingID, internalMeetingID, explanation } = event.data;
      const left = explanation === 'endedHere' ? staleCopy(state, nodeId, nodeMeetingID, internalMeetingID) : undefined;
      if (!left || state.meetingAt.get(left.key) === nodeId) return { effects: [] };
      const end: Effect = { kind: 'callNode', id: `${nodeId}/${internalMeetingID}`, key: left.key, call: { call: 'api', nodeId, api: 'end', params: [['meetingID', nodeMeetingID]] }, timeoutMs: options.callTimeoutMs };
      return { effects: [end] };
    }
    default:
      return { effects: [] };
  }
}
