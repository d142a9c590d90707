import type { DomainEvent, StoredEvent } from './eventCatalogue.js';

/** What every decide receives besides state and command. */
export interface DecideContext {
  now: Date;
}

/** One aggregate's pure parts: the command loop (src/commands/decider/handleCommand.ts) runs them against its stream. */
export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S, context: DecideContext): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
  /** Turns a stored event of this aggregate's stream into its typed event (throws if it is not one). */
  decode(recorded: StoredEvent): E;
}
