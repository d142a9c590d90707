import type { Test } from 'tap';
import type { Composed } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../support/eventually.js';
import { ADMIN_SECRET, call } from '../support/httpHarness.js';
import { servedProduct } from '../support/servedProduct.js';

export const TENANT_SECRET = 'acme-secret-for-the-metrics-test';
export const METRICS_TOKEN = 'metrics-token-0123456789';

/** The composed product with one tenant (`acme`) and one simulated node, metrics on; `env` adds settings. */
export async function startMetricsProduct(t: Test, env: Record<string, string> = {}): Promise<{ base: string; composed: Composed; node: BbbNodeSimulator; bbbPath(call: string, params: Array<[string, string]>): string }> {
  const node = await new BbbNodeSimulator({ secret: 'sim-1-secret' }).start();
  t.teardown(() => node.stop());
  const config = loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100', POLL_TIMEOUT_MS: '1000', ...env });
  const { composed, base, token } = await servedProduct(t, config);
  t.equal((await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } })).status, 201);
  const body = { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1, checksumAlgorithm: 'sha256' };
  t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body })).status, 201);
  await eventually('the node is available', () => composed.nodeDirectory.nodesForPlacement().every((n) => n.health === 'available'), 10_000);
  const bbbPath = (bbbCall: string, params: Array<[string, string]>) => `/t/acme/bigbluebutton/api/${bbbCall}?${signedQuery(bbbCall, params, TENANT_SECRET, 'sha256')}`;
  return { base, composed, node, bbbPath };
}

export async function scrape(base: string, headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${base}/metrics`, { headers });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}
