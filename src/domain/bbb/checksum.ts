import { hash, timingSafeEqual } from 'node:crypto';

/** BBB picks the hash by the checksum's hex length (bbb-web GetChecksumValidator). */
export type ChecksumAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export const ALL_CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];

const ALGORITHM_BY_HEX_LENGTH: Record<number, ChecksumAlgorithm> = { 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

export function checksumOf(algorithm: ChecksumAlgorithm, callName: string, query: string, secret: string): string {
  // The one-shot hash: no Hash object per request (it is on every BBB call, twice on a join).
  return hash(algorithm, callName + query + secret);
}

/** BBB's ParamsUtil.sanitizeString: control characters stripped, then trimmed. */
export function sanitize(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/**
 * The query string BBB hashes: the raw query as received with the checksum parameter removed by literal
 * string replacement, never decoded and re-encoded (there are many valid encodings of the same parameters).
 */
export function queryWithoutChecksum(rawQuery: string, checksum: string): string {
  return rawQuery
    .replaceAll(`&checksum=${checksum}`, '')
    .replaceAll(`checksum=${checksum}&`, '')
    .replaceAll(`checksum=${checksum}`, '');
}

const REENCODED = /%(27|22|3C|3E)/i;

/**
 * WHATWG URL parsing (browsers, fetch) percent-encodes `'`, `"`, `<` and `>` in a query even when the signer
 * left them bare. The bytes differ, the parameters do not. These are the queries signers most likely hashed:
 * `encodeURIComponent` and Node's querystring leave only `'` bare; a signer that encodes nothing leaves all four.
 */
export function queriesAsSignersWroteThem(query: string): string[] {
  if (!REENCODED.test(query)) return [query];
  const bare = (pattern: RegExp) => query.replace(pattern, (escape) => decodeURIComponent(escape));
  return [...new Set([query, bare(/%27/g), bare(/%(27|22|3C|3E)/gi)])];
}

export type ChecksumVerdict =
  | { ok: true; algorithm: ChecksumAlgorithm; secretIndex: number }
  | { ok: false; reason: 'missing' | 'duplicate' | 'unknownLength' | 'algorithmNotAllowed' | 'mismatch' };

/**
 * Verifies a BBB API request the way bbb-web does: callName + raw query without the checksum + secret,
 * algorithm by length, hex case-insensitive, constant-time compare; any of several secrets (rotation).
 * A request carrying `checksum` twice is refused (upstream hardening after 3.0).
 */
export function verifyChecksum(
  callName: string,
  rawQuery: string,
  secrets: readonly string[],
  allowed: readonly ChecksumAlgorithm[] = ALL_CHECKSUM_ALGORITHMS,
): ChecksumVerdict {
  const query = sanitize(rawQuery);
  return verifyParsedChecksum(callName, query, new URLSearchParams(query).getAll('checksum'), secrets, allowed);
}

/**
 * verifyChecksum for a caller that has parsed the query already: `query` is its raw text with nothing
 * `sanitize` would change, `provided` the decoded values of its `checksum` parameters.
 */
export function verifyParsedChecksum(
  callName: string,
  query: string,
  provided: readonly string[],
  secrets: readonly string[],
  allowed: readonly ChecksumAlgorithm[] = ALL_CHECKSUM_ALGORITHMS,
): ChecksumVerdict {
  if (provided.length > 1) return { ok: false, reason: 'duplicate' };
  const checksum = sanitize(provided[0] ?? '');
  if (checksum.length === 0) return { ok: false, reason: 'missing' };
  const algorithm = ALGORITHM_BY_HEX_LENGTH[checksum.length];
  if (!algorithm) return { ok: false, reason: 'unknownLength' };
  if (!allowed.includes(algorithm)) return { ok: false, reason: 'algorithmNotAllowed' };
  const signed = queryWithoutChecksum(query, checksum);
  const candidates = queriesAsSignersWroteThem(signed);
  const given = Buffer.from(checksum.toLowerCase(), 'utf8');
  let match = -1;
  // Every secret is tried even after a match so the time taken does not say which one matched.
  secrets.forEach((secret, index) => {
    for (const candidate of candidates) {
      const expected = Buffer.from(checksumOf(algorithm, callName, candidate, secret), 'utf8');
      if (expected.length === given.length && timingSafeEqual(expected, given) && match < 0) match = index;
    }
  });
  return match >= 0 ? { ok: true, algorithm, secretIndex: match } : { ok: false, reason: 'mismatch' };
}

/**
 * Encodes parameters so that a browser following a redirect sends the URL byte for byte as written:
 * everything but unreserved characters is percent-encoded (space as %20, never a bare quote or non-ASCII).
 */
export function encodeQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([k, v]) => `${strictEncode(k)}=${strictEncode(v)}`).join('&');
}

function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A signed query string for calling a BBB node (or redirecting a browser to it). */
export function signedQuery(
  callName: string,
  params: ReadonlyArray<readonly [string, string]>,
  secret: string,
  algorithm: ChecksumAlgorithm,
): string {
  const query = encodeQuery(params);
  const checksum = checksumOf(algorithm, callName, query, secret);
  return query.length > 0 ? `${query}&checksum=${checksum}` : `checksum=${checksum}`;
}
