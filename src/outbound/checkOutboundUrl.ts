import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusalOf, type AddressRefusal } from './addressRules.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type OutboundRefusal = AddressRefusal | 'invalidUrl' | 'scheme' | 'unresolvable';

export type OutboundCheck =
  | { ok: true; url: URL; address: string; family: 4 | 6; addresses: ResolvedAddress[] }
  | { ok: false; reason: OutboundRefusal; message: string };

export interface OutboundOptions {
  /** CALLBACKS_ALLOW_PRIVATE: lift the address rule (on-premise receivers, tests); the URL must still parse and resolve. */
  allowPrivate: boolean;
  /** Resolves a host name to every address it has; default node:dns lookup with `all: true`. */
  lookup?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

const defaultLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Whether bbb-ledger may call `url` for a tenant (recording-ready callbacks, hooks): http(s) only, and every
 * address the host resolves to must be public: one private answer among public ones refuses the URL, since
 * the connection could land on any of them. The checked addresses are returned, so the caller connects to
 * what was checked, not to what a second DNS answer says (rebinding).
 */
export async function checkOutboundUrl(url: string | URL, options: OutboundOptions): Promise<OutboundCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'invalidUrl', message: `"${String(url)}" is not an absolute URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'scheme', message: `${parsed.protocol} URLs are not called; use http: or https:` };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return { ok: false, reason: 'unresolvable', message: `${host} does not resolve (${code}); check the host name` };
    }
    if (addresses.length === 0) return { ok: false, reason: 'unresolvable', message: `${host} has no addresses` };
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const refusal = refusalOf(address);
      if (refusal !== undefined) {
        return {
          ok: false,
          reason: refusal,
          message: `${host} resolves to ${address}, a ${describe[refusal]} address, which callbacks may not reach; set CALLBACKS_ALLOW_PRIVATE=true if the receiver is on your own network`,
        };
      }
    }
  }
  const checked = addresses.map((a): ResolvedAddress => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  const first = checked[0] as ResolvedAddress;
  return { ok: true, url: parsed, address: first.address, family: first.family, addresses: checked };
}

const describe: Record<AddressRefusal, string> = {
  loopback: 'loopback',
  private: 'private-network',
  linkLocal: 'link-local',
  metadata: 'cloud metadata',
  unspecified: 'unspecified',
  multicast: 'multicast',
  reserved: 'reserved',
};
