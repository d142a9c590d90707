import { signedQuery, type ChecksumAlgorithm } from './checksum.js';

/** A signed URL for `call` on the BBB API at `apiUrl` (`…/bigbluebutton/api/`, trailing slash optional). */
export function signedApiUrl(
  apiUrl: string,
  call: string,
  params: ReadonlyArray<readonly [string, string]>,
  secret: string,
  algorithm: ChecksumAlgorithm,
): string {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return `${base}${call}?${signedQuery(call, params, secret, algorithm)}`;
}
