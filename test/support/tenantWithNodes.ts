import type { Test } from 'tap';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { adminToken, call } from './httpHarness.js';

export type BbbCall = (call: string, params: Array<[string, string]>) => Promise<Response>;

/**
 * Registers `tenant` and `nodes` through the admin API of the product at `base`; the admin token and a BBB
 * call for the tenant (by path, SHA-256, redirects not followed).
 */
export async function tenantWithNodes(t: Test, base: string, tenant: string, secret: string, nodes: Array<{ apiUrl: string; secret: string }>) {
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: tenant, secrets: [secret] } })).status, 201);
  for (const node of nodes) {
    t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } })).status, 201);
  }
  const bbb: BbbCall = (name, params) => fetch(`${base}/t/${tenant}/bigbluebutton/api/${name}?${signedQuery(name, params, secret, 'sha256')}`, { redirect: 'manual' });
  return { token, bbb };
}
