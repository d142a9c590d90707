import { v5 as uuidv5 } from 'uuid';
import { ConcurrencyError } from '../../domain/errors.js';
import type { Decider } from '../../domain/decider.js';
import { schemaVersionOf, type DomainEvent } from '../../domain/eventCatalogue.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../eventstore/errors.js';
import type { EventStore, ExpectedRevision, NewEvent, Position } from '../../eventstore/port.js';
import { COMMAND_EVENT_NAMESPACE } from '../../domain/ids.js';
import type { StreamStates } from './streamStates.js';

/** Who asked, on whose behalf, and when: becomes every resulting event's metadata. */
export interface CommandContext {
  /** `admin:<subject>`, `tenant:<name>`, `node:<id>`, `saga:<name>`, `system` */
  actor: string;
  correlationId: string;
  causationId: string;
  now: Date;
  /** Repeating a command with the same id appends nothing new: event ids derive from it. */
  commandId: string;
}

export interface CommandResult<E, S> {
  events: E[];
  state: S;
  /** Stream revision after the command; undefined when the stream still does not exist. */
  revision: bigint | undefined;
  /** Global position of the last appended event; undefined when nothing was appended. */
  position: Position | undefined;
}

/**
 * What a caller already knows of a stream: the state and revision a previous command left it at, or
 * `{ initialState, undefined }` for a stream it expects to be new. The first attempt decides on it and appends
 * with that revision without reading; a conflict (someone else wrote meanwhile) re-reads the stream.
 */
export interface KnownStream<S> {
  state: S;
  revision: bigint | undefined;
}

const MAX_ATTEMPTS = 4;

/**
 * The one read → fold → decide → append loop. Retries when another writer moved the stream meanwhile.
 * With `known`, the first attempt skips the read (see KnownStream). With `states`, reads start where this
 * process last left the stream (see StreamStates); a conflict forgets that and reads it whole.
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  context: CommandContext,
  known?: KnownStream<S>,
  states?: StreamStates<S>,
): Promise<CommandResult<E, S>> {
  for (let attempt = 1; ; attempt++) {
    const assumed = attempt === 1 && known !== undefined;
    const { state, revision } = assumed ? known : await loadAggregate(store, decider, streamId, states);
    let events: E[];
    try {
      events = decider.decide(command, state, { now: context.now });
    } catch (error) {
      // A refusal or a no-op is only final on the stream as read, never on what the caller assumed.
      if (assumed) continue;
      throw error;
    }
    if (events.length === 0 && assumed) continue;
    const newState = events.reduce(decider.evolve, state);
    if (events.length === 0) return { events, state: newState, revision, position: undefined };
    const expectedRevision: ExpectedRevision = revision ?? 'no_stream';
    try {
      const appended = await store.append(streamId, events.map((e, i) => toNewEvent(e, i, context)), { expectedRevision });
      states?.set(streamId, { state: newState, revision: appended.nextExpectedRevision });
      return { events, state: newState, revision: appended.nextExpectedRevision, position: appended.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      states?.forget(streamId);
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConcurrencyError(`${streamId} kept changing; gave up after ${attempt} attempts`);
      }
    }
  }
}

/** The stream's state as stored; with `states`, folded on from where this process last saw it. */
export async function loadAggregate<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  states?: StreamStates<S>,
): Promise<KnownStream<S>> {
  const seen = states?.get(streamId);
  let { state, revision } = seen?.revision !== undefined ? seen : { state: decider.initialState(), revision: undefined as bigint | undefined };
  try {
    for await (const recorded of store.readStream(streamId, revision === undefined ? undefined : { fromRevision: revision + 1n })) {
      state = decider.evolve(state, decider.decode(recorded));
      revision = recorded.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
    // Deleted since: what this process remembered of it is gone too.
    state = decider.initialState();
    revision = undefined;
  }
  if (states) {
    if (revision === undefined) states.forget(streamId);
    else states.set(streamId, { state, revision });
  }
  return { state, revision };
}

/**
 * The stored form of a decided event: metadata from the command context, an id derived from the command id
 * (and `namespace`, so different kinds of writers never collide), making a repeated command a replay.
 */
export function toNewEvent(event: DomainEvent, index: number, context: CommandContext, namespace: string = COMMAND_EVENT_NAMESPACE): NewEvent {
  return {
    id: uuidv5(`${context.commandId}:${index}`, namespace),
    type: event.type,
    data: event.data,
    metadata: {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      at: context.now.toISOString(),
      schemaVersion: schemaVersionOf(event.type),
    },
  };
}
