import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';
import type { CallResult, Effect, EffectOf, Process, ProcessInput } from '../../src/sagas/process/process.js';
import { stepProcess } from '../../src/sagas/process/processSteps.js';

type Input<T> = DomainEvent | ProcessInput<T>;

export interface ProcessSession<S, T> {
  /** The state so far (for a look inside; specs assert on effects). */
  readonly state: S;
  /** One more input: its effects, which `then` compares whole. */
  when(input: Input<T>): { effects: Array<Effect<T>>; then(expected: Array<Effect<T>>): void; thenNothing(): void };
}

/**
 * Given/when/then for processes, pure and without timers: `given` takes the history (events, ticks and
 * answers, each through react and evolve as the runtime would, their effects dropped), `when` one more
 * input, `then` the effects it asks for. A session goes on: the next `when` sees what the last one left.
 */
export function processSpec<S, T = unknown>(process: Process<S, T>) {
  return {
    given(history: Array<Input<T>>): ProcessSession<S, T> {
      let state = process.initialState();
      for (const input of history) state = stepProcess(process, state, inputOf(input)).state;
      return {
        get state() {
          return state;
        },
        when(input) {
          const step = stepProcess(process, state, inputOf(input));
          state = step.state;
          return {
            effects: step.effects,
            then: (expected) => assert.deepEqual(step.effects, expected),
            thenNothing: () => assert.deepEqual(step.effects, []),
          };
        },
      };
    },
  };
}

/** An event of the log, as the runtime hands it on at `at`. */
export const event = <T = unknown>(e: DomainEvent, at = 0): ProcessInput<T> => ({ kind: 'event', event: e, at });

/** The tick a schedule effect asked for, coming at its time. */
export function tick<T>(schedule: Effect<T>): ProcessInput<T> {
  if (schedule.kind !== 'schedule') throw new Error(`not a schedule effect: ${schedule.kind}`);
  return { kind: 'tick', id: schedule.id, key: schedule.key, tick: schedule.tick, at: schedule.at };
}

/** The answer to a node call started at `startedAt` and answered at `at`. */
export function answer<T>(call: Effect<T>, result: CallResult, startedAt: number, at = startedAt): ProcessInput<T> {
  if (call.kind !== 'callNode') throw new Error(`not a node call: ${call.kind}`);
  return { kind: 'result', effectId: call.id, key: call.key, call: (call as EffectOf<'callNode', T>).call, startedAt, result, at };
}

function inputOf<T>(input: Input<T>): ProcessInput<T> {
  return 'kind' in input && (input.kind === 'event' || input.kind === 'tick' || input.kind === 'result') && 'at' in input ? (input as ProcessInput<T>) : event(input as DomainEvent);
}
