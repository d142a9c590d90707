import type { Composed } from '../../src/compose.js';
import type { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { eventually } from './eventually.js';
import { adminToken, call } from './httpHarness.js';

/**
 * Through the admin API of a served product: tenant `acme` with `secret`, and `node` registered and available.
 * Returns the admin token and the tenant's BBB API URL maker.
 */
export async function tenantOnNode(composed: Pick<Composed, 'nodeDirectory'>, base: string, secret: string, node: BbbNodeSimulator) {
  const token = await adminToken();
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [secret] } });
  await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } });
  await eventually('the node available', () => composed.nodeDirectory.nodesForPlacement().some((n) => n.health === 'available'));
  return { token, api: (bbbCall: string, query: string) => `${base}/t/acme/bigbluebutton/api/${bbbCall}?${query}` };
}
