import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 42 alphanumerics (~250 bits), B3LB's format, so it pastes into any BBB client's settings unescaped. */
export function generateTenantSecret(length = 42): string {
  // randomInt draws without modulo bias.
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
