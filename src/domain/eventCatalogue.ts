import type { NodeEvent } from './node/events.js';
import type { TenantEvent } from './tenant/events.js';

/** Every domain event, one discriminated union. Later aggregates add their unions here. */
export type DomainEvent = NodeEvent | TenantEvent;
export type DomainEventType = DomainEvent['type'];
type DataOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>['data'];

/** The shape of a stored event this module needs; the event store's RecordedEvent satisfies it. */
export interface StoredEvent {
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: { schemaVersion: number };
}

/** A stored event this code cannot turn into a domain event. Never skip one silently. */
export class EventDecodeError extends Error {
  readonly code = 'EVENT_NOT_DECODABLE';

  constructor(event: StoredEvent, reason: string) {
    super(`cannot decode ${event.type} at ${event.streamId}@${event.revision}: ${reason}`);
    this.name = new.target.name;
  }
}

interface CatalogueEntry<T extends DomainEventType> {
  /** The version decide() writes now. Older stored versions must be upcast in `parse`. */
  schemaVersion: number;
  parse(data: Fields, schemaVersion: number): DataOf<T>;
}

const nodeIdOnly = (data: Fields) => ({ nodeId: data.string('nodeId') });

const CATALOGUE: { [T in DomainEventType]: CatalogueEntry<T> } = {
  NodeRegistered: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      url: data.string('url'),
      secret: data.string('secret'),
      tags: data.strings('tags'),
      loadFactor: data.number('loadFactor'),
    }),
  },
  NodeEnabled: { schemaVersion: 1, parse: nodeIdOnly },
  NodeCordoned: { schemaVersion: 1, parse: nodeIdOnly },
  NodeDisabled: { schemaVersion: 1, parse: nodeIdOnly },
  TenantRegistered: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant') }) },
  TenantSecretAdded: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId'), secret: data.string('secret'), subId: data.number('subId') }) },
  TenantSecretRevoked: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId') }) },
};

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, type);
}

export function schemaVersionOf(type: DomainEventType): number {
  return CATALOGUE[type].schemaVersion;
}

/** @throws EventDecodeError for an unknown type, a newer schema version, or data of the wrong shape. */
export function decodeEvent(stored: StoredEvent): DomainEvent {
  const { type } = stored;
  if (!isDomainEventType(type)) throw new EventDecodeError(stored, 'unknown event type');
  const entry: { schemaVersion: number; parse(data: Fields, version: number): DomainEvent['data'] } = CATALOGUE[type];
  const version = stored.metadata.schemaVersion;
  if (!Number.isInteger(version) || version < 1 || version > entry.schemaVersion) {
    throw new EventDecodeError(
      stored,
      `schema version ${version} is not understood (this code knows up to ${entry.schemaVersion}); upgrade before replaying`,
    );
  }
  if (typeof stored.data !== 'object' || stored.data === null || Array.isArray(stored.data)) {
    throw new EventDecodeError(stored, 'data is not an object');
  }
  try {
    return { type, data: entry.parse(new Fields(stored.data as Record<string, unknown>), version) } as DomainEvent;
  } catch (error) {
    throw new EventDecodeError(stored, error instanceof Error ? error.message : String(error));
  }
}

/** Typed field access that names the missing or mistyped field. */
class Fields {
  constructor(private readonly data: Record<string, unknown>) {}

  string(key: string): string {
    const value = this.data[key];
    if (typeof value !== 'string') throw new TypeError(`data.${key} must be a string`);
    return value;
  }

  number(key: string): number {
    const value = this.data[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`data.${key} must be a number`);
    return value;
  }

  strings(key: string): string[] {
    const value = this.data[key];
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
      throw new TypeError(`data.${key} must be an array of strings`);
    }
    return [...value];
  }
}
