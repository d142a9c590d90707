import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { XMLParser } from 'fast-xml-parser';
import { MemoryBlobStore } from '../../../src/blobs/memoryBlobStore.js';
import { JoinRecorder } from '../../../src/commands/observations/joinRecorder.js';
import { PlacementReservations } from '../../../src/commands/workflows/placementReservations.js';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { handleTenantCommand } from '../../../src/commands/decider/tenantCommands.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { signedQuery } from '../../../src/domain/bbb/checksum.js';
import type { PlacementNode } from '../../../src/domain/placement/placement.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { RecordedEvent } from '../../../src/eventstore/port.js';
import { bbbFrontDoor } from '../../../src/http/bbb/frontDoor.js';
import { bbbMeetingCalls } from '../../../src/http/bbb/meetingCalls.js';
import { MeetingsAnswerCache } from '../../../src/http/bbb/meetingsAnswerCache.js';
import { endCallbackRoute } from '../../../src/http/callbacks/endCallbackRoute.js';
import { silentLogger } from '../../../src/logging.js';
import { createBbbNodeClient } from '../../../src/nodes/bbbNodeClient.js';
import { meetingListProjection, type MeetingListOp, type MeetingReadModel } from '../../../src/projections/meetingList.js';
import { InMemoryMeetingList } from '../../../src/projections/meetingListMemory.js';
import type { CheckpointTarget } from '../../../src/projections/projection.js';
import { startProjection } from '../../../src/projections/runner.js';
import { tenantDirectoryProjection } from '../../../src/projections/tenantDirectory.js';
import { InMemoryTenantDirectory } from '../../../src/projections/tenantDirectoryMemory.js';
import { BbbNodeSimulator } from '../../../src/simulator/bbbNodeSimulator.js';
import { recordingListProjection } from '../../../src/projections/recordingList.js';
import { InMemoryRecordingList } from '../../../src/projections/recordingListMemory.js';
import { LocalObjectStorage } from '../../../src/storage/localStorage.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitRecorder } from '../../../src/policy/limitRecorder.js';
import { TenantPolicyGate, tenantUsageProjection } from '../../../src/policy/tenantPolicyGate.js';
import { commandContext } from '../../support/commandContext.js';
import { recordingLinks } from '../../../src/http/playback/recordingLinks.js';
import { memorySpentTokens } from '../../../src/http/playback/spentTokens.js';

export const TENANTS = { acme: 'acme-secret-0123456789', acme007: 'acme-sub-seven-secret-0123', globex: 'globex-secret-0123456789' } as const;

export interface MeetingTestServer {
  base: string;
  store: MemoryEventStore;
  blobs: MemoryBlobStore;
  simulators: BbbNodeSimulator[];
  /** The recordings read model the recording calls answer from (fed by the log). */
  recordings: InMemoryRecordingList;
  /** Where recordings are stored (a temporary directory). */
  storage: LocalObjectStorage;
  recordingsRunner: { waitFor(position: string): Promise<void> };
  /** What placement sees; tests change health and admin state in place. */
  nodes: PlacementNode[];
  /** A signed BBB API URL for `tenant` (a path label like `acme` or `acme-007`). */
  url(tenant: string, call: string, params: Array<[string, string]>, secret: string): string;
  /** Every event of the log, in order. */
  events(): Promise<RecordedEvent[]>;
  /** Appends the joins waiting in the join recorder and waits until the meeting list shows them. */
  joinsRecorded(): Promise<void>;
  /** Appends the limit hits waiting in the limit recorder. */
  limitsRecorded(): Promise<void>;
  /** Runs a tenant command as an admin would, and waits until the tenant directory has it. */
  tenantCommand(command: TenantCommand): Promise<void>;
  /** Waits until every read model (the meeting list and the usage the limits count) has the whole log. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface MeetingTestServerOptions {
  nodeCount?: number;
  nodeTimeoutMs?: number;
  /** A shared read model instead of the in-process one (the Redis test). */
  meetings?: MeetingReadModel & { target: CheckpointTarget<MeetingListOp> };
  /** The tenants' required node tags; default none. */
  tenantRequiredTags?: (tenant: string) => readonly string[];
  /** Take over end callbacks with this key (and serve the callback route); default: pass them through. */
  endCallbackKey?: string;
  /** `HOOKS_PER_TENANT`; default 100, the configuration's. */
  hooksPerTenant?: number;
}

/** The front door with two tenants (acme with sub 7, globex), the meeting calls, and simulated nodes n1…nN. */
export async function startMeetingTestServer(options: MeetingTestServerOptions = {}): Promise<MeetingTestServer> {
  const store = new MemoryEventStore();
  const controller = new AbortController();
  const directory = new InMemoryTenantDirectory();
  const meetings = options.meetings ?? new InMemoryMeetingList();
  const tenantRunner = startProjection({ store, projection: tenantDirectoryProjection, target: directory.target, logger: silentLogger, signal: controller.signal });
  const meetingsRunner = startProjection({ store, projection: meetingListProjection, target: meetings.target, logger: silentLogger, signal: controller.signal });
  const recordings = new InMemoryRecordingList();
  const recordingsRunner = startProjection({ store, projection: recordingListProjection, target: recordings.target, logger: silentLogger, signal: controller.signal });
  const storageDir = await mkdtemp(join(tmpdir(), 'meeting-test-recordings-'));
  const storage = new LocalObjectStorage(storageDir);
  const limitRecorder = new LimitRecorder({ store, logger: silentLogger, windowMs: 60_000, now: () => new Date(), newId: randomUUID });
  const policy = new TenantPolicyGate({ policyFor: (tenant, subId) => directory.policyFor(tenant, subId), recorder: limitRecorder, pendingCreateTtlMs: 30_000, now: () => Date.now() });
  const usageRunner = startProjection({ store, projection: tenantUsageProjection, target: policy.target, logger: silentLogger, signal: controller.signal });
  const context = () => commandContext({ correlationId: 'setup' });
  await handleTenantCommand(store, { type: 'RegisterTenant', data: { tenant: 'acme', secrets: [TENANTS.acme] } }, context());
  await handleTenantCommand(store, { type: 'AddTenantSecret', data: { tenant: 'acme', secret: TENANTS.acme007, subId: 7 } }, context());
  const last = await handleTenantCommand(store, { type: 'RegisterTenant', data: { tenant: 'globex', secrets: [TENANTS.globex] } }, context());
  await tenantRunner.waitFor(last.position!);
  await meetingsRunner.caughtUp;

  const simulators = await Promise.all(
    Array.from({ length: options.nodeCount ?? 3 }, (_, i) => new BbbNodeSimulator({ secret: `node-secret-${i + 1}` }).start()),
  );
  const nodes: PlacementNode[] = simulators.map((s, i) => ({
    id: `n${i + 1}`,
    apiUrl: s.apiUrl,
    secret: s.secret,
    checksumAlgorithm: i === 1 ? 'sha1' : 'sha256',
    adminState: 'enabled',
    health: 'available',
    meetings: 0,
    participants: 0,
    loadFactor: 1,
    tags: [],
  }));

  const blobs = new MemoryBlobStore();
  // Only joinsRecorded() appends, so a test sees every join of its steps in one window.
  const joinRecorder = new JoinRecorder({ store, logger: silentLogger, windowMs: 60_000, now: () => new Date(), newId: randomUUID });
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = ctx.get('X-Request-Id') || randomUUID();
    await next();
  });
  if (options.endCallbackKey) app.use(endCallbackRoute({ store, key: options.endCallbackKey, now: () => new Date(), newId: randomUUID }));
  app.use(bbbFrontDoor({ tenantDirectory: directory, baseDomain: undefined, logger: silentLogger }));
  app.use(
    bbbMeetingCalls({
      store,
      logger: silentLogger,
      nodesForPlacement: async () => nodes.map((n) => ({ ...n })),
      nodeById: async (id) => nodes.map((n) => ({ ...n })).find((n) => n.id === id),
      loadWeights: DEFAULT_LOAD_WEIGHTS,
      reservations: new PlacementReservations(DEFAULT_LOAD_WEIGHTS.cooldownMs, () => Date.now()),
      // No node directory here: it never catches up, so a placement's reservation counts until it cools down
      // (the node list above never counts meetings itself).
      nodeDirectoryCaughtUp: () => new Promise<void>(() => {}),
      tenantRequiredTags: options.tenantRequiredTags ?? (() => []),
      endCallbackKey: options.endCallbackKey,
      publicUrl: undefined,
      hooksPerTenant: options.hooksPerTenant ?? 100,
      assets: directory,
      nodeClient: createBbbNodeClient({ timeoutMs: options.nodeTimeoutMs ?? 1000 }),
      blobs,
      meetings,
      meetingsAnswers: new MeetingsAnswerCache(),
      meetingsRunner,
      joinRecorder,
      policy,
      now: () => new Date(),
      newId: randomUUID,
      readYourWritesTimeoutMs: 5000,
      recordings: { list: recordings, runner: recordingsRunner, publicUrl: 'https://lb.example', links: recordingLinks({ secret: 'meeting-test-server-link-secret', ttlSeconds: 3600, sessionSeconds: 3600, spent: memorySpentTokens(), now: Date.now }), isProtected: () => false },
    }),
  );
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    store,
    blobs,
    simulators,
    recordings,
    storage,
    recordingsRunner,
    nodes,
    url: (tenant, call, params, secret) => `${base}/t/${tenant}/bigbluebutton/api/${call}?${signedQuery(call, params, secret, 'sha256')}`,
    async events() {
      const all: RecordedEvent[] = [];
      for await (const event of store.readAll()) all.push(event);
      return all;
    },
    async joinsRecorded() {
      await joinRecorder.flush();
      for await (const last of store.readAll({ direction: 'backwards', maxCount: 1 })) await meetingsRunner.waitFor(last.position);
    },
    limitsRecorded: () => limitRecorder.flush(),
    async tenantCommand(command) {
      const result = await handleTenantCommand(store, command, context());
      if (result.position) await tenantRunner.waitFor(result.position);
    },
    async caughtUp() {
      for await (const last of store.readAll({ direction: 'backwards', maxCount: 1 })) {
        await Promise.all([meetingsRunner.waitFor(last.position), usageRunner.waitFor(last.position)]);
      }
    },
    async close() {
      await joinRecorder.stop();
      await limitRecorder.flush();
      controller.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(simulators.map((s) => s.stop()));
      await Promise.allSettled([tenantRunner.done, meetingsRunner.done, recordingsRunner.done, usageRunner.done]);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

const parser = new XMLParser({ parseTagValue: false });

/** The `<response>` of a BBB answer, every value as text. */
export function parseResponse(xml: string): Record<string, any> {
  const parsed = parser.parse(xml) as { response?: Record<string, any> };
  if (!parsed.response) throw new Error(`not a BBB response: ${xml}`);
  return parsed.response;
}

/** GET without following redirects: status, Location and the XML's `<response>` (when there is XML). */
export async function get(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  const isXml = (response.headers.get('content-type') ?? '').includes('xml');
  return { status: response.status, location: response.headers.get('location'), text, xml: isXml ? parseResponse(text) : undefined };
}
