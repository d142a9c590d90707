import { InvalidEventError } from './errors.js';
import type { NewEvent } from './port.js';

// Lower case only: EventStoreDB hands ids back lower-cased, so any other case would not read back equal.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const METADATA_STRINGS = ['actor', 'correlationId', 'causationId', 'at'] as const;

/** Rejects what no adapter should store, with a message that says which event and field is wrong. */
export function validateAppend(streamId: string, events: readonly NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.startsWith('$')) {
    throw new InvalidEventError(`stream id "${String(streamId)}" is empty or reserved (starts with $)`);
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError(`append to ${streamId}: give at least one event`);
  }
  const ids = new Set<string>();
  events.forEach((e, i) => {
    const where = `append to ${streamId}, event #${i}`;
    if (typeof e?.id !== 'string' || !UUID.test(e.id)) throw new InvalidEventError(`${where}: id must be a lower-case UUID`);
    if (ids.has(e.id)) throw new InvalidEventError(`${where}: id ${e.id} appears twice in the batch`);
    ids.add(e.id);
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.startsWith('$')) {
      throw new InvalidEventError(`${where}: type must be a non-empty name not starting with $`);
    }
    if (e.data === undefined || !isJson(e.data)) {
      throw new InvalidEventError(`${where} (${e.type}): data must be plain JSON (no undefined, functions, bigint, NaN)`);
    }
    const m = e.metadata;
    if (typeof m !== 'object' || m === null) throw new InvalidEventError(`${where} (${e.type}): metadata is missing`);
    for (const key of METADATA_STRINGS) {
      if (typeof m[key] !== 'string' || m[key].length === 0) {
        throw new InvalidEventError(`${where} (${e.type}): metadata.${key} must be a non-empty string`);
      }
    }
    if (Number.isNaN(Date.parse(m.at))) throw new InvalidEventError(`${where} (${e.type}): metadata.at is not a timestamp`);
    if (!Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) {
      throw new InvalidEventError(`${where} (${e.type}): metadata.schemaVersion must be an integer ≥ 1`);
    }
  });
}

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value).every((v) => isJson(v, depth + 1));
  }
  return false;
}
