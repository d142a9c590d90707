import { parseTenantLabel, type TenantAddress } from '../../domain/tenant/addressing.js';

export interface BbbRoute {
  /** The path segment(s) after `/api/` as sent (the checksum covers it); `''` for the API root. */
  call: string;
  /** Undefined when the request names no well-formed tenant: treated like an unknown tenant. */
  address: TenantAddress | undefined;
}

const API_PATH = /^(?:\/t\/([^/]+))?\/bigbluebutton\/api(\/.*)?$/;

/**
 * Which BBB API call, for which tenant: `/t/<tenant>[-NNN]/bigbluebutton/api/<call>` on any host, or
 * `/bigbluebutton/api/<call>` on `<tenant>[-NNN].<baseDomain>`. Undefined when the path is not the BBB API.
 */
export function resolveBbbRoute(host: string, path: string, baseDomain: string | undefined): BbbRoute | undefined {
  const match = API_PATH.exec(path);
  if (!match) return undefined;
  const call = (match[2] ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  const pathTenant = match[1];
  if (pathTenant !== undefined) return { call, address: parseTenantLabel(pathTenant) };
  const label = baseDomain === undefined ? undefined : tenantLabelOfHost(host, baseDomain);
  return { call, address: label === undefined ? undefined : parseTenantLabel(label) };
}

/** `ACME-007.LB.example.com:8443` with base `lb.example.com` → `acme-007`; one label only, no deeper names. */
export function tenantLabelOfHost(host: string, baseDomain: string): string | undefined {
  const hostname = host.toLowerCase().replace(/:\d*$/, '').replace(/\.$/, '');
  const base = baseDomain.toLowerCase().replace(/\.$/, '');
  const suffix = `.${base}`;
  if (base.length === 0 || !hostname.endsWith(suffix)) return undefined;
  const label = hostname.slice(0, -suffix.length);
  return label.length > 0 && !label.includes('.') ? label : undefined;
}
