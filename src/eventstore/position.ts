/**
 * Positions are opaque strings that compare correctly as plain strings within one adapter, so a checkpoint
 * can be compared in Redis Lua or SQL without decoding. Each adapter has its own prefix; checkpoints are not
 * portable between adapters (switching store means rebuilding read models).
 */
export type Position = string & { readonly __brand: 'Position' };

const WIDTH = 20;

export function encodePosition(prefix: 'M' | 'P' | 'E', ...parts: bigint[]): Position {
  return encodeDecimalPosition(prefix, ...parts.map(String));
}

/** encodePosition for parts already in decimal (a database's text of a non-negative integer): no BigInt round trip. */
export function encodeDecimalPosition(prefix: 'M' | 'P' | 'E', ...parts: string[]): Position {
  return `${prefix}:${parts.map((p) => p.padStart(WIDTH, '0')).join(':')}` as Position;
}

export function decodePosition(prefix: 'M' | 'P' | 'E', position: string, partCount: number): bigint[] {
  const parts = position.split(':');
  if (parts[0] !== prefix || parts.length !== partCount + 1 || parts.slice(1).some((p) => !/^\d{20}$/.test(p))) {
    throw new TypeError(
      `position "${position}" does not belong to this event store (expected ${prefix}: with ${partCount} parts); rebuild the read model after switching stores`,
    );
  }
  return parts.slice(1).map((p) => BigInt(p));
}

export function comparePositions(a: Position, b: Position): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
