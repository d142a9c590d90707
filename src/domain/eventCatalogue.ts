import type { MeetingEvent } from './meeting/events.js';
import { ALL_CHECKSUM_ALGORITHMS } from './bbb/checksum.js';
import type { NodeEvent } from './node/events.js';
import type { TenantEvent } from './tenant/events.js';

/** Every domain event, one discriminated union. Later aggregates add their unions here. */
export type DomainEvent = NodeEvent | TenantEvent | MeetingEvent;
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

const meetingIdentity = (data: Fields) => ({ tenant: data.string('tenant'), scope: data.string('scope'), meetingID: data.string('meetingID') });
const CREATE_FAILURE_REASONS = ['timeout', 'connection', 'http', 'badXml', 'checksumError', 'nodeError'] as const;
const CREATE_ABANDON_REASONS = ['noNodeAvailable', 'nodeRefused', 'serverTagUnavailable'] as const;
const JOIN_ROLES = ['MODERATOR', 'VIEWER'] as const;
const MEETING_END_REASONS = ['api', 'node', 'reconciliation', 'limit', 'failover'] as const;

/** What a node answered to a create: in MeetingCreated, and again in MeetingMoved for the new node. */
const nodeAnswer = (data: Fields) => ({
  nodeMeetingID: data.string('nodeMeetingID'),
  internalMeetingID: data.string('internalMeetingID'),
  createTime: data.number('createTime'),
  attendeePW: data.nullableString('attendeePW'),
  moderatorPW: data.nullableString('moderatorPW'),
  voiceBridge: data.string('voiceBridge'),
  dialNumber: data.string('dialNumber'),
  name: data.string('name'),
  metadata: data.stringRecord('metadata'),
});

const CATALOGUE: { [T in DomainEventType]: CatalogueEntry<T> } = {
  NodeRegistered: {
    // v2 added checksumAlgorithm; v1 nodes were never called by us, so they get the default.
    schemaVersion: 2,
    parse: (data, version) => ({
      nodeId: data.string('nodeId'),
      url: data.string('url'),
      secret: data.string('secret'),
      checksumAlgorithm: version === 1 ? 'sha256' : data.oneOf('checksumAlgorithm', ALL_CHECKSUM_ALGORITHMS),
      tags: data.strings('tags'),
      loadFactor: data.number('loadFactor'),
    }),
  },
  NodeEnabled: { schemaVersion: 1, parse: nodeIdOnly },
  NodeCordoned: { schemaVersion: 1, parse: nodeIdOnly },
  // Written without a reason before the drain saga existed: those were all operators' decisions.
  NodeDisabled: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), reason: data.optionalOneOf('reason', ['operator', 'drained'] as const) ?? 'operator' }) },
  NodeDecommissioned: { schemaVersion: 1, parse: nodeIdOnly },
  NodeRemoved: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), reason: data.oneOf('reason', ['drained'] as const) }) },
  NodeLoadReported: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      meetings: data.number('meetings'),
      participants: data.number('participants'),
      voice: data.number('voice'),
      video: data.number('video'),
      breakoutMeetings: data.number('breakoutMeetings'),
      cpu: data.nullableNumber('cpu'),
    }),
  },
  NodeReportedUnknownMeeting: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      nodeMeetingID: data.string('nodeMeetingID'),
      internalMeetingID: data.string('internalMeetingID'),
      name: data.string('name'),
      createTime: data.number('createTime'),
      participantCount: data.number('participantCount'),
      explanation: data.oneOf('explanation', ['notPlacedByUs', 'endedHere'] as const),
      detail: data.string('detail'),
    }),
  },
  NodeTagsChanged: { schemaVersion: 1, parse: (data) => ({ nodeId: data.string('nodeId'), tags: data.strings('tags') }) },
  NodeHealthChanged: {
    schemaVersion: 1,
    parse: (data) => ({
      nodeId: data.string('nodeId'),
      health: data.oneOf('health', ['available', 'unstable', 'offline'] as const),
      previous: data.oneOf('previous', ['unknown', 'available', 'unstable', 'offline'] as const),
      reason: data.oneOf('reason', ['probeSucceeded', 'timeout', 'connection', 'http', 'checksumError', 'badXml'] as const),
      detail: data.string('detail'),
    }),
  },
  TenantRegistered: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant') }) },
  TenantSecretAdded: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId'), secret: data.string('secret'), subId: data.number('subId') }) },
  TenantSecretRevoked: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), secretId: data.string('secretId') }) },
  TenantTagsRequired: { schemaVersion: 1, parse: (data) => ({ tenant: data.string('tenant'), tags: data.strings('tags') }) },
  MeetingPlaced: {
    schemaVersion: 1,
    parse: (data) => {
      const body = data.nullableObject('body');
      return {
        ...meetingIdentity(data),
        nodeId: data.string('nodeId'),
        nodeMeetingID: data.string('nodeMeetingID'),
        params: data.stringRecord('params'),
        body: body && { ref: body.string('ref'), contentType: body.string('contentType'), size: body.number('size') },
      };
    },
  },
  MeetingCreated: {
    schemaVersion: 1,
    parse: (data) => ({
      ...meetingIdentity(data),
      nodeId: data.string('nodeId'),
      ...nodeAnswer(data),
    }),
  },
  MeetingCreateFailed: {
    schemaVersion: 1,
    parse: (data) => ({ ...meetingIdentity(data), nodeId: data.string('nodeId'), reason: data.oneOf('reason', CREATE_FAILURE_REASONS), detail: data.string('detail') }),
  },
  MeetingCreateAbandoned: {
    schemaVersion: 1,
    parse: (data) => ({ ...meetingIdentity(data), reason: data.oneOf('reason', CREATE_ABANDON_REASONS), triedNodeIds: data.strings('triedNodeIds') }),
  },
  MeetingJoined: {
    // v2 counts a window of joins; a v1 event was one join with its role and time.
    schemaVersion: 2,
    parse: (data, version) => {
      if (version === 1) {
        const moderator = data.oneOf('role', JOIN_ROLES) === 'MODERATOR';
        const at = data.string('at');
        return { ...meetingIdentity(data), moderators: moderator ? 1 : 0, viewers: moderator ? 0 : 1, from: at, to: at };
      }
      return { ...meetingIdentity(data), moderators: data.count('moderators'), viewers: data.count('viewers'), from: data.string('from'), to: data.string('to') };
    },
  },
  MeetingParticipantsChanged: {
    schemaVersion: 1,
    parse: (data) => ({
      ...meetingIdentity(data),
      nodeId: data.string('nodeId'),
      participantCount: data.number('participantCount'),
      moderatorCount: data.number('moderatorCount'),
      listenerCount: data.number('listenerCount'),
      voice: data.number('voice'),
      video: data.number('video'),
      running: data.boolean('running'),
      at: data.string('at'),
    }),
  },
  MeetingMoved: {
    schemaVersion: 1,
    parse: (data) => ({
      ...meetingIdentity(data),
      from: data.string('from'),
      to: data.string('to'),
      cause: data.oneOf('cause', ['nodeOffline'] as const),
      ...nodeAnswer(data),
    }),
  },
  MeetingEnded: {
    // `evidence` came with reconciliation; absent reads as null (no evidence was recorded).
    schemaVersion: 1,
    parse: (data) => {
      const evidence = data.nullableObject('evidence');
      return {
        ...meetingIdentity(data),
        nodeId: data.nullableString('nodeId'),
        reason: data.oneOf('reason', MEETING_END_REASONS),
        evidence: evidence && { observedAt: evidence.string('observedAt'), lastSeenAt: evidence.nullableString('lastSeenAt'), detail: evidence.string('detail') },
      };
    },
  },
};

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

  count(key: string): number {
    const value = this.number(key);
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`data.${key} must be a whole number ≥ 0`);
    return value;
  }

  strings(key: string): string[] {
    const value = this.data[key];
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
      throw new TypeError(`data.${key} must be an array of strings`);
    }
    return [...value];
  }

  boolean(key: string): boolean {
    const value = this.data[key];
    if (typeof value !== 'boolean') throw new TypeError(`data.${key} must be a boolean`);
    return value;
  }

  nullableNumber(key: string): number | null {
    const value = this.data[key];
    if (value === undefined || value === null) return null;
    return this.number(key);
  }

  /** For a field added later to an event: absent reads as undefined, present must be allowed. */
  optionalOneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    return this.data[key] === undefined ? undefined : this.oneOf(key, allowed);
  }

  /** Absent and null both read as null: optional values are written as null. */
  nullableString(key: string): string | null {
    const value = this.data[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new TypeError(`data.${key} must be a string or null`);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.string(key);
    const match = allowed.find((a) => a === value);
    if (match === undefined) throw new TypeError(`data.${key} must be one of ${allowed.join(', ')}`);
    return match;
  }

  stringRecord(key: string): Record<string, string> {
    const value = this.data[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`data.${key} must be an object`);
    const record: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw new TypeError(`data.${key}.${k} must be a string`);
      record[k] = v;
    }
    return record;
  }

  nullableObject(key: string): Fields | null {
    const value = this.data[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`data.${key} must be an object or null`);
    return new Fields(value as Record<string, unknown>);
  }
}
