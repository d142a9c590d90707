/**
 * The composed product (as `npm start` builds it) on loopback, with simulated BBB nodes in this process,
 * one tenant and its meetings: what bench/bbbApi.bench.ts loads.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { handleNodeCommand } from '../src/commands/decider/nodeCommands.js';
import { handleTenantCommand } from '../src/commands/decider/tenantCommands.js';
import type { TenantCommand } from '../src/domain/tenant/commands.js';
import type { CommandContext } from '../src/commands/decider/handleCommand.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { signedQuery, type ChecksumAlgorithm } from '../src/domain/bbb/checksum.js';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import { silentLogger } from '../src/logging.js';
import type { NodeAddress } from '../src/nodes/bbbNodeClient.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../test/support/eventually.js';
import type { RawBbbData, RawRoute } from './rawBbbServer.js';
import { commandContext } from '../test/support/commandContext.js';

export const TENANT = 'bench';
export const TENANT_SECRET = 'bench-tenant-secret-0123456789';
const ALGORITHMS: ChecksumAlgorithm[] = ['sha256', 'sha1', 'sha512'];

export interface BenchProduct {
  origin: string;
  /** Path and signed query of a BBB call for the bench tenant (the client signs with SHA-256). */
  path(call: string, params: Array<[string, string]>): string;
  /** Creates meetings through the API, `concurrency` at a time (default 1); their client meetingIDs. */
  createMeetings(prefix: string, count: number, concurrency?: number): Promise<string[]>;
  /** What the raw baseline needs to answer the same requests. */
  rawData(meetingIDs: readonly string[]): RawBbbData;
  /** The simulated nodes as the product calls them (for a raw baseline calling the same nodes). */
  nodes(): NodeAddress[];
  /** An operator's tenant command (limits, parameter rules); stored when it resolves, in effect a moment later. */
  tenantCommand(command: TenantCommand): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `env` adds settings, e.g. REDIS_URL and REDIS_PREFIX for the production shape. `nodesIn: 'child'` runs the
 * simulated nodes in a process of their own (bench/simulatorChild.ts), so their work (rendering getMeetings for a
 * poll, answering creates) does not share the balancer's event loop, as with real nodes; `rawData` then has no
 * meetings to give.
 */
export async function startBenchProduct(eventStore: string, env: Record<string, string> = {}, options: { nodesIn?: 'process' | 'child' } = {}): Promise<BenchProduct> {
  const secrets = ALGORITHMS.map((_, i) => `bench-node-${i + 1}-secret`);
  const child = options.nodesIn === 'child' ? await startSimulatorChild(secrets) : undefined;
  const simulators = child ? [] : await Promise.all(secrets.map((secret) => new BbbNodeSimulator({ secret }).start()));
  const nodeUrls = child ? child.apiUrls : simulators.map((s) => s.apiUrl);
  const config = loadConfig({ EVENTSTORE: eventStore, LOG_LEVEL: 'silent', ...env });
  const composed = await compose(config, silentLogger);
  await composed.start();
  // Counted so stop() can wait for the requests wrk abandoned at its limit before the store closes.
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    // The listener's promise settles when the handlers are done, even when wrk already closed the socket.
    void composed.requestListener(req, res).finally(() => (inFlight -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const context = (): CommandContext => commandContext({ actor: 'system:bench', id: randomUUID() });
  await handleTenantCommand(composed.store, { type: 'RegisterTenant', data: { tenant: TENANT, secrets: [TENANT_SECRET] } }, context());
  for (const [i, url] of nodeUrls.entries()) {
    const data = { nodeId: `sim-${i + 1}`, url, secret: secrets[i]!, checksumAlgorithm: ALGORITHMS[i], tags: [], loadFactor: 1 };
    await handleNodeCommand(composed.store, { type: 'RegisterNode', data }, context());
  }
  await eventually('every simulated node available', () => {
    const nodes = composed.nodeDirectory.nodesForPlacement();
    return nodes.length === nodeUrls.length && nodes.every((n) => n.health === 'available');
  }, 30_000);

  const path = (call: string, params: Array<[string, string]>) =>
    `/t/${TENANT}/bigbluebutton/api/${call}?${signedQuery(call, params, TENANT_SECRET, 'sha256')}`;

  return {
    origin,
    path,
    async createMeetings(prefix, count, concurrency = 1) {
      const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
      let next = 0;
      const creator = async () => {
        for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
          const params: Array<[string, string]> = [['name', `Room ${id}`], ['meetingID', id], ['attendeePW', 'ap'], ['moderatorPW', 'mp'], ['meta_origin', 'bench']];
          const answer = await (await fetch(`${origin}${path('create', params)}`)).text();
          if (!answer.includes('<returncode>SUCCESS</returncode>')) throw new Error(`create ${id} failed: ${answer}`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, creator));
      return ids;
    },
    rawData(meetingIDs) {
      if (child) throw new Error('rawData needs the simulated nodes in this process (nodesIn: process)');
      const routes = new Map<string, RawRoute>();
      for (const meetingID of meetingIDs) {
        const nodeMeetingID = nodeMeetingIdOf(TENANT, meetingID);
        const at = simulators.findIndex((s) => s.meetings.has(nodeMeetingID));
        const node = composed.nodeDirectory.get(`sim-${at + 1}`);
        if (!node) throw new Error(`meeting ${meetingID} runs on no registered node`);
        routes.set(meetingID, { nodeMeetingID, node });
      }
      const meetings = [...routes].map(([meetingID, route]) => ({ ...simulators.find((s) => s.meetings.has(route.nodeMeetingID))!.meetings.get(route.nodeMeetingID)!, meetingID }));
      return { tenant: TENANT, secret: TENANT_SECRET, routes, meetings };
    },
    nodes: () => composed.nodeDirectory.nodesForPlacement(),
    async tenantCommand(command) {
      await handleTenantCommand(composed.store, command, context());
    },
    async stop() {
      await eventually('no request in flight', () => inFlight === 0, 10_000).catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await composed.stop();
      await Promise.all(simulators.map((s) => s.stop()));
      child?.stop();
    },
  };
}

async function startSimulatorChild(secrets: readonly string[]): Promise<{ apiUrls: string[]; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./simulatorChild.ts', import.meta.url)), ...secrets], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { apiUrls: JSON.parse(line) as string[], stop: () => child.stdin!.end() };
}
