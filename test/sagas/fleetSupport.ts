import { createRequire } from 'node:module';
import type { Test } from 'tap';
import type { Composed } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { ADMIN_SECRET, call } from '../support/httpHarness.js';
import { eventually } from '../support/eventually.js';
import { servedProduct } from '../support/servedProduct.js';

// bigbluebutton-js is CommonJS without types: the real client a Node frontend would use.
const bbb = createRequire(import.meta.url)('bigbluebutton-js') as {
  api(host: string, secret: string): {
    administration: { create(name: string, id: string, params?: object): string; end(id: string, password: string): string };
    monitoring: { getMeetings(): string };
  };
  http(url: string): Promise<Record<string, unknown>>;
};

const TENANT_SECRET = 'acme-secret-for-the-fleet-test';

export interface Fleet {
  composed: Composed;
  base: string;
  token: string;
  nodes: Array<{ id: string; sim: BbbNodeSimulator }>;
  create(meetingID: string): Promise<Record<string, unknown>>;
  end(meetingID: string): Promise<Record<string, unknown>>;
  getMeetings(): Promise<Array<Record<string, unknown>>>;
  /** Every event of a stream with its actor. */
  events(streamId: string): Promise<Array<{ type: string; data: Record<string, unknown>; actor: string }>>;
}

/** The product as main.ts composes it, polling every 100 ms, with `count` simulated nodes all available. */
export async function startFleet(t: Test, count: number, env: Record<string, string> = {}): Promise<Fleet> {
  const config = loadConfig({
    EVENTSTORE: 'memory',
    ADMIN_JWT_SECRET: ADMIN_SECRET,
    POLL_INTERVAL_MS: '100',
    POLL_TIMEOUT_MS: '300',
    RECONCILE_GRACE_MS: '200',
    NODE_LOAD_PATH: '/b3lb/load',
    ...env,
  });
  const { composed, base, token } = await servedProduct(t, config);
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [TENANT_SECRET] } });
  const nodes: Fleet['nodes'] = [];
  for (let i = 0; i < count; i++) {
    const sim = await new BbbNodeSimulator({ secret: `fleet-node-${i}-secret` }).start();
    t.teardown(() => sim.stop());
    const res = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: sim.apiUrl, secret: sim.secret, tags: [], loadFactor: 1 } });
    nodes.push({ id: String(res.body?.id), sim });
  }
  await eventually('every node available', () => nodes.every((n) => composed.nodeDirectory.get(n.id)?.health === 'available'));
  const api = bbb.api(`${base}/t/acme/bigbluebutton`, TENANT_SECRET);
  return {
    composed,
    base,
    token,
    nodes,
    create: (meetingID) => bbb.http(api.administration.create(meetingID, meetingID, { attendeePW: 'ap', moderatorPW: 'mp' })),
    end: (meetingID) => bbb.http(api.administration.end(meetingID, 'mp')),
    async getMeetings() {
      const answer = await bbb.http(api.monitoring.getMeetings());
      return Array.isArray(answer.meetings) ? (answer.meetings as Array<Record<string, unknown>>) : [];
    },
    async events(streamId) {
      const found: Array<{ type: string; data: Record<string, unknown>; actor: string }> = [];
      try {
        for await (const e of composed.store.readStream(streamId) as AsyncIterable<RecordedEvent>) {
          found.push({ type: e.type, data: e.data as Record<string, unknown>, actor: e.metadata.actor });
        }
      } catch {
        // not created yet
      }
      return found;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
