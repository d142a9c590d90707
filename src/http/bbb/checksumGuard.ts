import { verifyChecksum, verifyParsedChecksum } from '../../domain/bbb/checksum.js';
import type { TenantAddress } from '../../domain/tenant/addressing.js';
import type { TenantDirectory } from '../../projections/tenantDirectory.js';

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
  /** The decoded `checksum` values, when the caller parsed the query and it holds nothing sanitize() strips. */
  parsedChecksums?: readonly string[],
): TenantAddress | undefined {
  const secrets = address && directory.secretsFor(address.tenant, address.subId);
  const verdict = parsedChecksums
    ? verifyParsedChecksum(call, rawQuery, parsedChecksums, secrets ?? DECOY_SECRETS)
    : verifyChecksum(call, rawQuery, secrets ?? DECOY_SECRETS);
  return verdict.ok && secrets !== undefined ? address : undefined;
}
