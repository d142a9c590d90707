import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv6 } from 'node:net';

/** Who may scrape: `METRICS_TOKEN` (bearer) and `METRICS_ALLOW` (addresses and CIDR ranges). */
export interface MetricsAccessConfig {
  token: string | undefined;
  /** `10.0.0.0/8`, `192.0.2.7`, `::1`, `fd00::/8`; empty = nobody by address. */
  allow: readonly string[];
}

export type AccessVerdict = 'allowed' | 'unauthorized' | 'forbidden';

/**
 * A scrape is allowed with the right bearer token or from an allowed address. Refused: 401 when a token is
 * configured (present it), 403 when only addresses are (this address is not one of them).
 */
export function metricsAccess(config: MetricsAccessConfig): (authorization: string | undefined, remoteAddress: string | undefined) => AccessVerdict {
  const allowed = allowList(config.allow);
  const expected = config.token === undefined ? undefined : digest(config.token);
  return (authorization, remoteAddress) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    // Digests compare in constant time whatever the lengths.
    if (expected && bearer !== undefined && timingSafeEqual(digest(bearer), expected)) return 'allowed';
    if (remoteAddress !== undefined && isAllowed(allowed, remoteAddress)) return 'allowed';
    return expected ? 'unauthorized' : 'forbidden';
  };
}

/** @throws Error naming the entry that is neither an address nor a CIDR range. */
export function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const type = isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? undefined : Number(bits);
    if (extra !== undefined || !address || (prefix !== undefined && (!/^\d+$/.test(bits ?? '') || prefix > (type === 'ipv6' ? 128 : 32)))) {
      throw new Error(`"${entry}" is not an IP address or CIDR range such as 10.0.0.0/8`);
    }
    try {
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, prefix, type);
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range such as 10.0.0.0/8`);
    }
  }
  return list;
}

function isAllowed(list: BlockList, remoteAddress: string): boolean {
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress)?.[1];
  if (mapped) return list.check(mapped, 'ipv4');
  return list.check(remoteAddress, isIPv6(remoteAddress) ? 'ipv6' : 'ipv4');
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
