import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { MeetingIdentity, MeetingParticipantsChanged } from '../../domain/meeting/events.js';
import type { RecordMeetingGoneFromNode } from '../../domain/meeting/commands.js';
import type { NodeCommand } from '../../domain/node/commands.js';
import type { NodeLoadReported } from '../../domain/node/events.js';
import type { FailoverTrigger } from '../../domain/failover/failoverPlan.js';
import type { RetryPolicy } from '../../retryPolicy.js';
import type { ProbeTarget } from '../nodeProber.js';

/**
 * Every long-running process has this shape; one runtime (runProcess.ts) runs them all. `react` sees the
 * state BEFORE an event and the event, so it can tell a transition (a node going offline) from a repeat;
 * `evolve` then folds the event in. Ticks and call results are the process's own inputs: react answers them
 * with effects and, when it remembers something (a probe streak, what it has just sent), the new state.
 * Both are pure in what they return; they may update the state in place (the fleet folds 20,000 meetings:
 * copying on every event would cost the poll its CPU budget), so the runtime owns the only copy.
 */
export interface Process<S, T = unknown> {
  /** The lease name and `saga:<name>` actor default; one per process. */
  name: string;
  subscribes: Subscription;
  initialState(): S;
  /** `at` is the runtime's clock when the event came: when this process learnt of it. */
  evolve(state: S, event: DomainEvent, at: number): S;
  react(state: S, input: ProcessInput<T>): Reaction<S, T>;
  /**
   * Asked just before each side effect (and between the steps of a workflow): is the effect still wanted
   * by the state as it is now? The state may have moved on while the effect waited its turn.
   */
  stillWanted?(state: S, effect: Effect<T>): boolean;
  /** UUID namespace of the process's command, correlation and causation ids (derived from effect ids). */
  idNamespace: string;
}

/**
 * The log the process follows, from the start of it (replayed, not checkpointed: fleet and failover fold
 * the node and meeting streams into memory, which a checkpoint alone would not restore).
 */
export interface Subscription {
  streamPrefixes: string[];
}

/** What drives a process: an event of the log, a tick it scheduled, or the answer to a node call. `at` is the runtime's clock. */
export type ProcessInput<T = unknown> =
  | { kind: 'event'; event: DomainEvent; at: number }
  | { kind: 'tick'; id: string; key: string; tick: T; at: number }
  | { kind: 'result'; effectId: string; key: string; call: NodeCall; startedAt: number; result: CallResult; at: number };

export interface Reaction<S, T = unknown> {
  effects: Array<Effect<T>>;
  /** Omitted: the state is unchanged (or was updated in place). */
  state?: S;
}

/** A node call's answer; a timeout or a thrown error is an answer too, so every call comes back once. */
export type CallResult = { ok: true; value: unknown } | { ok: false; reason: 'timeout' | 'error'; detail: string };

/** A call to a BBB node: a probe (signed getMeetings + load endpoint), or an API call on a node by id. */
export type NodeCall =
  | { call: 'probe'; target: ProbeTarget }
  | { call: 'api'; nodeId: string; api: 'end'; params: Array<[string, string]> };

/** Observations appended without an expected revision: the aggregates decide nothing from them. */
export type Observation = NodeLoadReported | MeetingParticipantsChanged;

/** Commands a process may ask for: an aggregate's command, or the failover workflow (node calls between commands). */
export type ProcessCommand = NodeCommand | RecordMeetingGoneFromNode | FailoverMeeting;

/** The failover workflow of one meeting (src/commands/moveMeeting.ts): re-create elsewhere, then MoveMeeting or EndMeetingAfterFailover. */
export interface FailoverMeeting {
  type: 'FailoverMeeting';
  data: { meeting: MeetingIdentity; trigger: FailoverTrigger };
}

/** An outgoing HTTP request, delivered with retries and backoff. */
export interface Delivery {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/**
 * Effects are data. `id` is deterministic (derived from what the process saw, never from a clock or a
 * random source), so a replayed reaction asks for the same thing and the store appends nothing new; `key`
 * orders effects (one key's effects run one after the other) and groups them for `cancel`.
 */
export type Effect<T = unknown> = { id: string; key: string } & (
  | { kind: 'command'; actor: string; correlation: string; command: ProcessCommand }
  | { kind: 'observe'; actor: string; correlation: string; event: Observation }
  | { kind: 'callNode'; call: NodeCall; timeoutMs: number }
  | { kind: 'deliver'; request: Delivery; retry: RetryPolicy }
  | { kind: 'schedule'; at: number; tick: T }
  /** Drops the key's scheduled ticks and cancels its calls in flight (a node removed). */
  | { kind: 'cancel' }
);

export type EffectOf<K extends Effect['kind'], T = unknown> = Extract<Effect<T>, { kind: K }>;
