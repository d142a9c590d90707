import { randomUUID } from 'node:crypto';
import { isDomainEventType, schemaVersionOf, type StoredEvent } from '../../src/domain/eventCatalogue.js';
import type { EventMetadata, JsonValue, NewEvent, RecordedEvent } from '../../src/eventstore/port.js';
import { encodePosition } from '../../src/eventstore/position.js';

/** The instant hand-made events happen at unless a test says otherwise. */
export const TEST_AT = '2026-11-23T10:00:00.000Z';

export type MetadataOptions = Partial<EventMetadata>;

/**
 * Well-formed metadata for a hand-made event. schemaVersion defaults to the catalogue's current version of `type`
 * (1 for a type outside it); a test of an older version says which.
 */
export function eventMetadata(type: string, options: MetadataOptions = {}): EventMetadata {
  const correlationId = options.correlationId ?? 'c';
  return {
    actor: options.actor ?? 'admin:test',
    correlationId,
    causationId: options.causationId ?? correlationId,
    at: options.at ?? TEST_AT,
    schemaVersion: options.schemaVersion ?? (isDomainEventType(type) ? schemaVersionOf(type) : 1),
  };
}

/** An event to append, with a fresh id unless given. */
export function newEvent(type: string, data: JsonValue | object = {}, options: MetadataOptions & { id?: string } = {}): NewEvent {
  const { id = randomUUID(), ...metadata } = options;
  return { id, type, data: data as JsonValue, metadata: eventMetadata(type, metadata) };
}

export interface RecordedOptions extends MetadataOptions {
  streamId?: string;
  revision?: bigint;
  id?: string;
  recordedAt?: Date;
}

/**
 * Stored events as a store hands them out, in global order: each call takes the next position (M:1, M:2, …) and
 * the next revision of its stream. `defaults` apply to every event of this log; options override per event.
 */
export function eventLog(defaults: RecordedOptions = {}): (type: string, data: JsonValue | object, options?: RecordedOptions) => RecordedEvent {
  let sequence = 0;
  const revisions = new Map<string, bigint>();
  return (type, data, options = {}) => {
    sequence += 1;
    const { streamId = 'test-1', revision, id, recordedAt, ...metadata } = { ...defaults, ...options };
    const next = revision ?? revisions.get(streamId) ?? 0n;
    revisions.set(streamId, next + 1n);
    const stamped = eventMetadata(type, metadata);
    return {
      id: id ?? `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      type,
      data: data as JsonValue,
      metadata: stamped,
      streamId,
      revision: next,
      position: encodePosition('M', BigInt(sequence)),
      recordedAt: recordedAt ?? new Date(stamped.at),
    };
  };
}

/** A stored event as decode reads it (stream, revision, type, data, schema version), for catalogue tests. */
export function storedEvent(type: string, data: unknown, options: { streamId?: string; revision?: bigint; schemaVersion?: number } = {}): StoredEvent {
  return {
    streamId: options.streamId ?? 's',
    revision: options.revision ?? 0n,
    type,
    data,
    metadata: { schemaVersion: options.schemaVersion ?? eventMetadata(type).schemaVersion },
  };
}
