import { createHash } from 'node:crypto';

/**
 * Immutable, content-addressed bytes (a create's pre-uploaded documents). `put` of the same bytes gives the
 * same reference, so storing twice is harmless and the event log only ever carries the reference.
 */
export interface BlobStore {
  /** @returns `sha256:<hex>` */
  put(bytes: Uint8Array): Promise<string>;
  /** Undefined when nothing is stored under `ref`. */
  get(ref: string): Promise<Buffer | undefined>;
}

const REF = /^sha256:([0-9a-f]{64})$/;

export function blobRefOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The hex digest of a well-formed reference, else undefined (never a path to walk out of a directory). */
export function digestOf(ref: string): string | undefined {
  return REF.exec(ref)?.[1];
}
