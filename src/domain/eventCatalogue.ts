import type { AutoscaleEvent } from './autoscale/events.js';
import { AUTOSCALE_ENTRIES } from './catalogue/autoscaleEntries.js';
import { Fields, type CatalogueEntries } from './catalogue/fields.js';
import { DELIVERY_ENTRIES } from './catalogue/deliveryEntries.js';
import { LIMIT_ENTRIES } from './catalogue/limitEntries.js';
import { MEETING_ENTRIES } from './catalogue/meetingEntries.js';
import { NODE_ENTRIES } from './catalogue/nodeEntries.js';
import { IMPORT_ENTRIES, RECORDING_ENTRIES } from './catalogue/recordingEntries.js';
import { SECRET_RESERVATION_ENTRIES } from './catalogue/secretReservationEntries.js';
import { TENANT_ENTRIES } from './catalogue/tenantEntries.js';
import type { DeliveryEvent } from './delivery/events.js';
import type { MeetingEvent } from './meeting/events.js';
import type { NodeEvent } from './node/events.js';
import type { ImportEvent, RecordingEvent } from './recording/events.js';
import type { TenantEvent } from './tenant/events.js';
import type { SecretReservationEvent } from './tenant/secretReservation.js';
import type { TenantLimitEvent } from './tenant/limitEvents.js';

/** Every domain event, one discriminated union. Later aggregates add their unions here. */
export type DomainEvent = NodeEvent | TenantEvent | MeetingEvent | TenantLimitEvent | RecordingEvent | ImportEvent | AutoscaleEvent | DeliveryEvent | SecretReservationEvent;
export type DomainEventType = DomainEvent['type'];

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

const CATALOGUE: CatalogueEntries<DomainEvent> = { ...NODE_ENTRIES, ...TENANT_ENTRIES, ...MEETING_ENTRIES, ...LIMIT_ENTRIES, ...RECORDING_ENTRIES, ...IMPORT_ENTRIES, ...AUTOSCALE_ENTRIES, ...DELIVERY_ENTRIES, ...SECRET_RESERVATION_ENTRIES };

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, type);
}

export function schemaVersionOf(type: DomainEventType): number {
  return CATALOGUE[type].schemaVersion;
}

/**
 * A stored event read once and handed to several read models (a rebuild's shared read, the in-memory
 * store's subscribers) is decoded once; decoded events are never mutated, so sharing them is safe.
 */
const decoded = new WeakMap<StoredEvent, DomainEvent>();

/** @throws EventDecodeError for an unknown type, a newer schema version, or data of the wrong shape. */
export function decodeEvent(stored: StoredEvent): DomainEvent {
  let event = decoded.get(stored);
  if (event === undefined) {
    event = decodeUncached(stored);
    decoded.set(stored, event);
  }
  return event;
}

function decodeUncached(stored: StoredEvent): DomainEvent {
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

/**
 * One aggregate's share of the catalogue: `is` narrows a decoded event, `decode` reads its stream, where any
 * other event type means a corrupt stream (never something to skip).
 */
export function aggregateEvents<E extends DomainEvent>(aggregate: string, types: readonly E['type'][]) {
  const known: ReadonlySet<string> = new Set(types);
  const is = (event: DomainEvent): event is E => known.has(event.type);
  return {
    is,
    decode(recorded: StoredEvent): E {
      const event = decodeEvent(recorded);
      if (!is(event)) throw new EventDecodeError(recorded, `not a ${aggregate} event`);
      return event;
    },
  };
}
