import { isIPv4, isIPv6 } from 'node:net';

/**
 * Why an address is no place for a callback a tenant asked for: reaching it would let the tenant make
 * bbb-ledger talk to its own machine, its private network or the cloud's metadata service (SSRF).
 */
export type AddressRefusal = 'loopback' | 'private' | 'linkLocal' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

type Rule = readonly [prefix: bigint, bits: number, refusal: AddressRefusal];

// Order matters: the first match wins, so the metadata hosts come before the ranges holding them.
const V4_RULES: readonly Rule[] = [
  [v4('169.254.169.254'), 32, 'metadata'],
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('100.64.0.0'), 10, 'private'], // CGNAT (RFC 6598); Alibaba's metadata 100.100.100.200 is in it
  [v4('169.254.0.0'), 16, 'linkLocal'],
  [v4('192.0.0.0'), 24, 'reserved'], // IETF protocol assignments
  [v4('198.18.0.0'), 15, 'private'], // benchmarking, used as internal address space in places
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'], // and 255.255.255.255, the broadcast address
];

const V6_RULES: readonly Rule[] = [
  [v6('fd00:ec2::254'), 128, 'metadata'], // AWS's IMDS over IPv6
  [v6('::'), 128, 'unspecified'],
  [v6('::1'), 128, 'loopback'],
  [v6('fc00::'), 7, 'private'], // unique local (ULA)
  [v6('fec0::'), 10, 'private'], // the deprecated site-local range, still routed inside some networks
  [v6('fe80::'), 10, 'linkLocal'],
  [v6('ff00::'), 8, 'multicast'],
  [v6('100::'), 64, 'reserved'], // discard-only
];

/** IPv6 forms that carry an IPv4 address: judged by that address, so `::ffff:127.0.0.1` is loopback. */
const V4_CARRIERS: ReadonlyArray<readonly [prefix: bigint, bits: number, shift: bigint]> = [
  [v6('::ffff:0:0'), 96, 0n], // IPv4-mapped
  [v6('::'), 96, 0n], // IPv4-compatible (deprecated; `::` and `::1` matched above already)
  [v6('64:ff9b::'), 96, 0n], // NAT64 well-known prefix
  [v6('2002::'), 16, 80n], // 6to4: the IPv4 address is bits 16–47
];

/** The refusal for an IP address in text form, or undefined when it is a public unicast address. */
export function refusalOf(address: string): AddressRefusal | undefined {
  if (isIPv4(address)) return match(V4_RULES, v4(address), 32);
  if (!isIPv6(address)) return 'reserved';
  const value = v6(address);
  const direct = match(V6_RULES, value, 128);
  if (direct !== undefined) return direct;
  for (const [prefix, bits, shift] of V4_CARRIERS) {
    if (inPrefix(value, prefix, bits, 128)) return match(V4_RULES, (value >> shift) & 0xffff_ffffn, 32);
  }
  return undefined;
}

function match(rules: readonly Rule[], value: bigint, width: number): AddressRefusal | undefined {
  return rules.find(([prefix, bits]) => inPrefix(value, prefix, bits, width))?.[2];
}

function inPrefix(value: bigint, prefix: bigint, bits: number, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === prefix >> shift;
}

function v4(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** An IPv6 address (any valid text form, `::`, an embedded dotted IPv4 tail, a `%zone`) as a 128-bit number. */
function v6(address: string): bigint {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const n = v4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
