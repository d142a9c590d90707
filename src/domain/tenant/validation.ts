import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';

const DNS_LABEL = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const SUB_SECRET_SUFFIX = /-\d{3}$/;
const SECRET = /^[\x21-\x7e]{8,256}$/;

export const MAX_SUB_ID = 999;

export const isTenantName = (name: string): boolean => DNS_LABEL.test(name) && !SUB_SECRET_SUFFIX.test(name);

/** A DNS label, so `<tenant>.<BASE_DOMAIN>` works; never ending in `-NNN`, which names a sub-secret host. */
export function validTenantName(name: string): string {
  if (!DNS_LABEL.test(name)) {
    throw new ValidationError(
      `tenant name "${name}" must be 2–63 lower-case letters, digits or '-', starting with a letter and not ending in '-'`,
      'name',
    );
  }
  if (SUB_SECRET_SUFFIX.test(name)) {
    throw new ValidationError(`tenant name "${name}" must not end in '-' and three digits: that suffix addresses a sub-secret`, 'name');
  }
  return name;
}

/** Never echoes the secret: error messages end up in logs and HTTP answers. */
export function validTenantSecret(secret: string): string {
  if (!SECRET.test(secret)) {
    throw new ValidationError('a secret must be 8–256 printable ASCII characters without whitespace', 'secret');
  }
  return secret;
}

export function validSubId(subId: number): number {
  if (!Number.isInteger(subId) || subId < 0 || subId > MAX_SUB_ID) {
    throw new ValidationError(`subId must be an integer from 0 to ${MAX_SUB_ID}, got ${subId}`, 'subId');
  }
  return subId;
}

/** A short stable fingerprint an operator can name a secret by without revealing it. */
export function secretIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);
}
