import { ValidationError } from '../errors.js';
import { ALL_CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../bbb/checksum.js';

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function validNodeId(nodeId: string): string {
  if (!NODE_ID.test(nodeId)) {
    throw new ValidationError(`node id "${nodeId}" must be 1–128 letters, digits, '.', '_' or '-'`, 'nodeId');
  }
  return nodeId;
}

/**
 * The BBB API base: http(s), no credentials, query or fragment, path ending in `/api/`. A missing trailing
 * slash is added, because operators copy `…/bigbluebutton/api` from `bbb-conf --secret` output.
 */
export function normaliseNodeUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ValidationError(`url "${input}" is not an absolute URL`, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`url "${input}" must use http or https`, 'url');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ValidationError(`url "${input}" must not contain credentials, a query or a fragment`, 'url');
  }
  if (url.pathname.endsWith('/api')) url.pathname += '/';
  if (!url.pathname.endsWith('/api/')) {
    throw new ValidationError(`url "${input}" must point at the BBB API, e.g. https://bbb1.example.com/bigbluebutton/api/`, 'url');
  }
  return url.href;
}

export function validSecret(secret: string): string {
  if (secret.trim().length === 0) throw new ValidationError('secret must not be empty', 'secret');
  return secret;
}

/** Tags are a set: sorted and de-duplicated so equal sets compare equal. */
export function normaliseTags(tags: readonly string[]): string[] {
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new ValidationError(`tag "${tag}" must be 1–64 letters, digits, '.', '_', ':' or '-'`, 'tags');
    }
  }
  return [...new Set(tags)].sort();
}

export function validLoadFactor(loadFactor: number): number {
  if (!Number.isFinite(loadFactor) || loadFactor <= 0) {
    throw new ValidationError(`loadFactor must be a number greater than 0, got ${loadFactor}`, 'loadFactor');
  }
  return loadFactor;
}

/** Absent means sha256: what BBB 2.6+ accepts everywhere and what bbb-conf's examples use. */
export function validChecksumAlgorithm(algorithm: string | undefined): ChecksumAlgorithm {
  if (algorithm === undefined) return 'sha256';
  const known = ALL_CHECKSUM_ALGORITHMS.find((a) => a === algorithm);
  if (!known) {
    throw new ValidationError(`checksumAlgorithm "${algorithm}" must be one of ${ALL_CHECKSUM_ALGORITHMS.join(', ')}`, 'checksumAlgorithm');
  }
  return known;
}
