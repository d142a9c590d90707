import { verifyChecksum, verifyParsedChecksum } from '../../domain/bbb/checksum.js';
import type { TenantAddress } from '../../domain/tenant/addressing.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';

/** What sanitize() would strip or trim: without any, the raw query is what bbb-web hashes. */
const SANITIZED_AWAY = /[\u0000-\u0020\u007f]/;

/** Checked against when the tenant is unknown, so that answer takes as long as a wrong checksum. */
const DECOY_SECRETS: readonly string[] = ['bbb-ledger-unknown-tenant-decoy'];

/**
 * The address, if the request is signed by one of its secrets: bbb-web's checksum rule over the raw query, with every active secret of the addressed hostname. An unknown
 * tenant or sub-id fails exactly like a wrong checksum, so nobody can probe which tenants exist.
 */
export function verifiedAddress(
  directory: Pick<TenantDirectory, 'secretsFor'>,
  address: TenantAddress | undefined,
  call: string,
  rawQuery: string,
  /** The query's pairs as the front door decoded them: their `checksum` values spare a second parse. */
  pairs: ReadonlyArray<readonly [string, string]>,
): TenantAddress | undefined {
  const secrets = address && directory.secretsFor(address.tenant, address.subId);
  // With something sanitize() strips, bbb-web hashes (and parses) the stripped query: verifyChecksum does that.
  const verdict = SANITIZED_AWAY.test(rawQuery)
    ? verifyChecksum(call, rawQuery, secrets ?? DECOY_SECRETS)
    : verifyParsedChecksum(call, rawQuery, checksumValues(pairs), secrets ?? DECOY_SECRETS);
  return verdict.ok && secrets !== undefined ? address : undefined;
}

function checksumValues(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const values: string[] = [];
  for (const [key, value] of pairs) if (key === 'checksum') values.push(value);
  return values;
}
