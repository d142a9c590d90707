import type { Decider } from '../../domain/decider.js';
import type { DomainEvent } from '../../domain/eventCatalogue.js';
import type { EventStore } from '../../eventstore/port.js';
import type { KnownStream } from './handleCommand.js';

/**
 * The last state and revision this process saw of long-lived streams (a node's, a tenant's), so a command
 * reads only what was appended since instead of the whole stream: a node's stream grows with every load
 * report and unknown meeting, and reading it whole per command made the fleet's commands cost O(stream)
 * (docs/benchmarks.md, 2026-12-05, create in the production shape). Bounded, least recently used first out.
 */
export class StreamStates<S> {
  private readonly entries = new Map<string, KnownStream<S>>();

  constructor(private readonly max: number) {}

  get(streamId: string): KnownStream<S> | undefined {
    const known = this.entries.get(streamId);
    if (known) this.touch(streamId, known);
    return known;
  }

  set(streamId: string, known: KnownStream<S>): void {
    this.touch(streamId, known);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** After a conflict: the next read starts from the beginning, whatever happened to the stream. */
  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(streamId: string, known: KnownStream<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, known);
  }
}

const byStore = new WeakMap<EventStore, WeakMap<object, StreamStates<unknown>>>();

/** One cache per store and decider: a store is one log, and each decider folds its own streams. */
export function streamStatesOf<C, E extends DomainEvent, S>(store: EventStore, decider: Decider<C, E, S>, max: number): StreamStates<S> {
  let perDecider = byStore.get(store);
  if (!perDecider) byStore.set(store, (perDecider = new WeakMap()));
  let states = perDecider.get(decider);
  if (!states) perDecider.set(decider, (states = new StreamStates<unknown>(max)));
  return states as StreamStates<S>;
}
