import type { DomainEvent, DomainEventType } from '../eventCatalogue.js';

type DataOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>['data'];

/** How one event type is read: the version decide() writes now, and a parser that upcasts older versions. */
export interface CatalogueEntry<T extends DomainEventType> {
  /** The version decide() writes now. Older stored versions must be upcast in `parse`. */
  schemaVersion: number;
  parse(data: Fields, schemaVersion: number): DataOf<T>;
}

export type CatalogueEntries<E extends DomainEvent> = { [T in E['type']]: CatalogueEntry<T> };

/** Typed field access that names the missing or mistyped field. */
export class Fields {
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

  nullableCount(key: string): number | null {
    const value = this.data[key];
    return value === undefined || value === null ? null : this.count(key);
  }

  objects(key: string): Fields[] {
    const value = this.data[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      throw new TypeError(`data.${key} must be an array of objects`);
    }
    return value.map((v) => new Fields(v as Record<string, unknown>));
  }

  strings(key: string): string[] {
    const value = this.data[key];
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
      throw new TypeError(`data.${key} must be an array of strings`);
    }
    return [...value];
  }

  array(key: string): unknown[] {
    const value = this.data[key];
    if (!Array.isArray(value)) throw new TypeError(`data.${key} must be an array`);
    return value;
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

  /** Absent and null both read as null. */
  nullableStrings(key: string): string[] | null {
    const value = this.data[key];
    return value === undefined || value === null ? null : this.strings(key);
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
    if (!(allowed as readonly string[]).includes(value)) throw new TypeError(`data.${key} must be one of ${allowed.join(', ')}`);
    return value as T;
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

  nullableStringRecord(key: string): Record<string, string> | null {
    const value = this.data[key];
    return value === undefined || value === null ? null : this.stringRecord(key);
  }

  nullableObject(key: string): Fields | null {
    const value = this.data[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`data.${key} must be an object or null`);
    return new Fields(value as Record<string, unknown>);
  }
}
