import { randomUUID } from 'node:crypto';
import type { EventStore, JsonValue, NewEvent, Position, RecordedEvent } from '../../../src/eventstore/port.js';
import { newEvent as testEvent } from '../../support/events.js';

export type MakeStore = () => Promise<EventStore>;

/** The contract's events are not domain events: version 1, whatever their type is called. */
export function newEvent(type: string, data: JsonValue = {}, id: string = randomUUID()): NewEvent {
  return testEvent(type, data, { id, actor: 'admin:contract-test', correlationId: 'corr-1', causationId: 'cause-1', schemaVersion: 1 });
}

export function events(type: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** A stream name no other test in the same store uses. */
export function streamName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export function ids(recorded: RecordedEvent[]): string[] {
  return recorded.map((e) => e.id);
}

/** The position of the last event in $all, or 'start' for an empty store: lets tests run on a shared server. */
export async function headPosition(store: EventStore): Promise<Position | 'start'> {
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
  return 'start';
}
