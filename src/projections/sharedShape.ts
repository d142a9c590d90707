import type { Redis } from 'ioredis';
import { logIdentitySuffix, type LogIdentity } from './logIdentity.js';
import type { CheckpointTarget } from './projection.js';

/**
 * How a read model is also kept in Redis, shared and inspectable by every instance. What its keys hold is
 * versioned like events are (`schemaVersion`): every record carries the version of the shape that wrote it
 * (hash field `v`), and the model's checkpoint is stored with a marker of it (`shape:<name>`). A record or
 * marker of another version is a regression the self-healing rebuild repairs (src/rebuild/selfHealing.ts), as is
 * a model built from another log (`log:<name>`, logIdentity.ts).
 */
export interface SharedShape<Op> {
  /** Bump it whenever what the keys hold changes; records of any other version are rebuilt, never read. */
  version: number;
  /** Globs relative to the prefix: exactly the model's data keys (the checkpoint and shape marker are added). */
  keyPatterns: string[];
  /** Glob of the keys that are records (hashes) `decode` reads, relative to the prefix. */
  recordPattern: string;
  /**
   * Every member of the model's sets and sorted sets (its indexes) names a record `<prefix><member>` (relative
   * to the model's prefix) that holds `field`: what the periodic check looks for (src/rebuild/censusCheck.ts).
   */
  indexed: { prefix: string; field: string };
  /** `log`: this log's identity, stored with every checkpoint; a model holding another is refused (logIdentity.ts). */
  target(redis: Redis, prefix: string, log: LogIdentity): CheckpointTarget<Op>;
  /** Throws ReadModelShapeError (or a parse error) for a record written by another shape; a hash it has no use for passes. */
  decode(key: string, hash: Record<string, string>): void;
}

/** The hash field every record's shape version is kept in. */
export const SHAPE_FIELD = 'v';

/** The key, relative to the prefix, of the version of the shape that last committed the model. */
export const shapeMarkerSuffix = (name: string): string => `shape:${name}`;

/**
 * The key, relative to the prefix, of the model's census: the size of each of its sets and sorted sets as of
 * its checkpoint, kept by the commit script (src/projections/targets/redisTarget.ts) with the checkpoint.
 */
export const censusSuffix = (name: string): string => `census:${name}`;

/** The census field holding the checkpoint it was written with: present whenever a census-keeping commit ran. */
export const CENSUS_CHECKPOINT_FIELD = '~checkpoint';

/**
 * What a shared model's commit script stores beside its checkpoint: its shape marker, its census and, given
 * `log`, the identity of the log it was built from (absent for a model only read, never committed to).
 */
export function sharedTargetOptions(prefix: string, name: string, version: number, log: LogIdentity | undefined) {
  return [{ key: `${prefix}${shapeMarkerSuffix(name)}`, version }, { key: `${prefix}${censusSuffix(name)}`, prefix }, log && { key: `${prefix}${logIdentitySuffix(name)}`, identity: log }] as const;
}

/** A Redis record or model written by another version of the code than the one reading it. */
export class ReadModelShapeError extends Error {
  readonly code = 'READ_MODEL_SHAPE';
  constructor(
    readonly key: string,
    readonly found: string,
    readonly expected: number,
  ) {
    super(`${key} holds shape ${found} where this instance reads shape ${expected}: the read model is rebuilt from the log (a mix of versions heals again until the rollout ends)`);
    this.name = new.target.name;
  }
}

/**
 * The shape version a record was written with: a record without one predates versioning, whose layout is
 * shape 1. Throws ReadModelShapeError unless it is `expected`.
 */
export function checkShape(key: string, hash: Record<string, string | undefined>, expected: number): void {
  const found = hash[SHAPE_FIELD] ?? '1';
  if (found !== String(expected)) throw new ReadModelShapeError(key, found, expected);
}
