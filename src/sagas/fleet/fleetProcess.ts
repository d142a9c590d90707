import { POLL_NAMESPACE } from '../../domain/ids.js';
import { isNodeEvent } from '../../domain/node/decider.js';
import { FRESH_MEMORY, type PollMemory } from '../../domain/reconciliation/reconcile.js';
import { MEETING_STREAM_PREFIX, NODE_STREAM_PREFIX } from '../../domain/streams.js';
import type { Process, ProcessInput, Reaction } from '../process/process.js';
import { FleetView } from './fleetView.js';
import { pollAnswered, pollingAfter, probeEffect, type Polling, type PollOptions } from './polling.js';
import { noteSent, reactToPoll, type PollReactionOptions } from './pollReaction.js';

export type FleetOptions = Omit<PollOptions, 'failThreshold'> & PollReactionOptions;

/** The fleet as the process knows it: the log's nodes and meetings, each node's poll loop, what reconciliation remembers. */
export interface FleetState {
  view: FleetView;
  polls: Map<string, Polling>;
  memories: Map<string, PollMemory>;
}

export const FLEET_PROCESS = 'fleet';

/**
 * Node and meeting events → one poll loop per node (a tick, a probe, its answer, the next tick) → per
 * answer: the node's health, load, meetings and drain (pollReaction.ts). Ticks and answers are inputs like
 * events, so the whole of it is pure and is specified without timers (test/sagas/fleet/fleetProcess.spec.test.ts).
 */
export function fleetProcess(options: FleetOptions): Process<FleetState> {
  const poll: PollOptions = { ...options, failThreshold: options.thresholds.failThreshold };
  return {
    name: FLEET_PROCESS,
    subscribes: { streamPrefixes: [NODE_STREAM_PREFIX, MEETING_STREAM_PREFIX] },
    idNamespace: POLL_NAMESPACE,
    initialState: () => ({ view: new FleetView(), polls: new Map(), memories: new Map() }),
    evolve(state, event, at) {
      state.view.apply(event, at);
      return state;
    },
    react: (state, input) => react(state, input, options, poll),
  };
}

function react(state: FleetState, input: ProcessInput, options: FleetOptions, poll: PollOptions): Reaction<FleetState> {
  switch (input.kind) {
    case 'event': {
      if (!isNodeEvent(input.event)) return { effects: [] };
      const nodeId = input.event.data.nodeId;
      const after = pollingAfter(state.polls.get(nodeId), input.event, input.at, poll);
      if (after.polling) state.polls.set(nodeId, after.polling);
      else state.polls.delete(nodeId);
      return { effects: after.effects };
    }
    case 'tick': {
      const polling = state.polls.get(input.key);
      return { effects: polling ? [probeEffect(polling, poll, input.at)] : [] };
    }
    case 'result': {
      const polling = state.polls.get(input.key);
      // An answer for a loop that was restarted or stopped meanwhile belongs to nobody.
      if (!polling || input.call.call !== 'probe' || input.call.target !== polling.target) return { effects: [] };
      const answered = pollAnswered(polling, input.startedAt, input.result, input.at);
      state.polls.set(input.key, answered.polling);
      const node = state.view.node(input.key);
      if (!node) return { effects: [answered.next] };
      const reacted = reactToPoll(answered.poll, node, state.memories.get(input.key) ?? FRESH_MEMORY, options);
      state.memories.set(input.key, reacted.memory);
      noteSent(state.view, node, reacted.effects, answered.poll);
      return { effects: [...reacted.effects, answered.next] };
    }
  }
}
