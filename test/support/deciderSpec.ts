import assert from 'node:assert/strict';
import type { Decider } from '../../src/domain/decider.js';
import type { DomainEvent } from '../../src/domain/eventCatalogue.js';

/** The pure parts of a decider (decode is not needed to fold given events). */
type PureDecider<C, E extends DomainEvent, S> = Pick<Decider<C, E, S>, 'decide' | 'evolve' | 'initialState'>;

type ErrorClass = abstract new (...args: never[]) => Error;

const DEFAULT_NOW = new Date('2026-11-23T10:00:00.000Z');

/**
 * given(events) / when(command) / then(events): throws an AssertionError on mismatch, so it works inside any
 * tap test body. State is always built by folding the given events, never set directly, so the spec also
 * exercises evolve.
 */
export function deciderSpec<C, E extends DomainEvent, S>(decider: PureDecider<C, E, S>) {
  return {
    given(history: E[]) {
      const state = () => history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: C, now: Date = DEFAULT_NOW) {
          const run = () => decider.decide(command, state(), { now });
          return {
            then(expected: E[]): void {
              assert.deepEqual(run(), expected);
            },
            thenNothingHappens(): void {
              assert.deepEqual(run(), [], 'expected no events (an idempotent command)');
            },
            thenThrows(errorClass: ErrorClass, message?: RegExp): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              if (thrown === undefined) assert.fail(`expected ${errorClass.name}, but decide returned events`);
              assert.ok(thrown instanceof errorClass, `expected ${errorClass.name}, got ${String(thrown)}`);
              if (message) assert.match(thrown.message, message);
            },
          };
        },
        /** The state the given events fold into, for evolve-only assertions. */
        thenState(expected: S): void {
          assert.deepEqual(state(), expected);
        },
      };
    },
  };
}
