/**
 * The HTTP surface. Read this first: a request does not always reach Koa.
 *
 * Servers listen with `Composed.requestListener` (compose.ts), which tries three node:http fast paths in front
 * of this app, in this order, and hands everything they decline to `app.callback()` untouched:
 * 1. `fastJoin` (bbb/fastJoin.ts): the plain successful join, answered with its 302;
 * 2. `fastGetMeetings` (bbb/fastGetMeetings.ts): the plain successful getMeetings, from the same renderer and
 *    answer cache (bbb/meetingsAnswerCache.ts) as Koa's getMeetingsCall;
 * 3. `/metrics` (src/metrics), which never was a Koa route.
 * A fast path answers only a GET without a body whose checksum, tenant and target pass the front door's own
 * checks (bbb/fastPath.ts) and whose answer is a success; every error answer, refusal and log line stays in
 * Koa. Why: Koa's per-request work cost more than the join itself (docs/decisions.md, 2026-11-23 and
 * 2026-12-05). The cost is two entrances that must answer alike: fastJoin.int.test.ts and
 * fastGetMeetings.int.test.ts hold them to the same status, headers and body. A change to the front door,
 * join or getMeetings must keep both entrances in step; `app` alone (Composed.app) has no fast path.
 */
import Koa, { type Context } from 'koa';
import type { LoadWeights } from '../domain/placement/loadModel.js';
import type { Availability } from '../availability.js';
import type { EventStore } from '../eventstore/port.js';
import type { Logger } from '../logging.js';
import type { NodeDirectory } from '../projections/nodeDirectory.js';
import type { NodeListReadModel } from '../projections/nodeList.js';
import type { ProjectionStatus } from '../projections/runner.js';
import type { RunnerHandle } from '../projections/runnerSet.js';
import type { UsageQueries } from '../projections/stats/usageQueries.js';
import type { TenantDirectory } from '../projections/tenantDirectory.js';
import { requireAdmin, type AdminTokenPolicy } from './adminAuth.js';
import { adminHistoryRouter } from './adminHistory.js';
import { adminUsageRouter } from './adminUsage.js';
import { adminNodesRouter } from './adminNodes.js';
import { adminTenantsRouter } from './adminTenants.js';
import { adminAssetsRouter } from './adminAssets.js';
import { assetServing } from './assetServing.js';
import { bbbFrontDoor } from './bbb/frontDoor.js';
import { bbbMeetingCalls } from './bbb/meetingCalls.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { BbbNodeClient } from '../nodes/bbbNodeClient.js';
import type { MeetingReadModel } from '../projections/meetingList.js';
import type { MeetingsAnswerCache } from './bbb/meetingsAnswerCache.js';
import type { PlacementReservations } from '../commands/workflows/placementReservations.js';
import type { JoinRecorder } from '../commands/observations/joinRecorder.js';
import { VERSION } from '../version.js';
import { serverIndex } from './index.js';
import type { TenantPolicyGate } from '../policy/tenantPolicyGate.js';
import { healthAnswer } from './health.js';
import { endCallbackRoute } from './callbacks/endCallbackRoute.js';
import { ping } from './ping.js';
import { adminRecordingsRouter } from './adminRecordings.js';
import type { RecordingCallsDeps } from './bbb/recordingCalls.js';
import type { ObjectStorage } from '../storage/objectStorage.js';
import { nodeRecordingsRouter } from './node/recordingUploadRouter.js';
import { playback } from './playback/playback.js';
import { problemDetails } from './problems.js';
import { requestId } from './requestId.js';
import { refuseUnstorableTarget } from './unstorableInput.js';
import { bbbRequestMetrics } from '../metrics/bbbRequestMetrics.js';
import type { BbbObserver } from '../metrics/bbbObserver.js';

export interface AppDeps {
  logger: Logger;
  store: EventStore;
  /** Times every BBB API answer Koa gives (src/metrics). */
  observeBbb: BbbObserver;
  /** HS256 key admin tokens are verified with. */
  adminJwtKey: Uint8Array;
  /** `ADMIN_TOKEN_ALLOW_NO_EXP`, `ADMIN_TOKEN_MAX_LIFETIME_S`. */
  adminTokenPolicy: AdminTokenPolicy;
  nodeList: NodeListReadModel;
  nodeListRunner: RunnerHandle;
  tenantDirectory: TenantDirectory;
  tenantDirectoryRunner: RunnerHandle;
  /** Every node with its secret, in this process: what placement and calls to nodes read. */
  nodeDirectory: NodeDirectory;
  nodeDirectoryRunner: RunnerHandle;
  /** Running meetings: routing for join and the forwarded calls, and the getMeetings answer. */
  meetings: MeetingReadModel;
  /** getMeetings' rendered answers, shared with the fast path in front of Koa (one per product). */
  meetingsAnswers: MeetingsAnswerCache;
  meetingsRunner: RunnerHandle;
  /** Counts joins and appends them as MeetingJoined off the request path. */
  joinRecorder: Pick<JoinRecorder, 'record'>;
  /** The tenants' limits and parameter rules at create and join. */
  policy: Pick<TenantPolicyGate, 'create' | 'join'>;
  /** Outbound BBB calls to nodes, re-signed with each node's secret. */
  nodeClient: BbbNodeClient;
  /** Create bodies (pre-uploaded documents), kept for a re-create on another node. */
  blobs: BlobStore;
  /** The load model placement compares nodes by (`LOAD_*`). */
  loadWeights: LoadWeights;
  /** This process's placements not yet in the node directory, shared with failover: one set per process. */
  reservations: PlacementReservations;
  /** `BASE_DOMAIN`: BBB clients reach tenant `acme` at `acme.<baseDomain>`; without it only `/t/acme/…`. */
  baseDomain: string | undefined;
  /** The statistics' analyst views (usage endpoints); undefined without DATABASE_URL. */
  usage: UsageQueries | undefined;
  /** Every projection's state, for /health. */
  projections(): ProjectionStatus[];
  /** Whether each backing store answered its last calls (event store, Redis). */
  stores(): Record<string, Availability>;
  now(): Date;
  newId(): string;
  readYourWritesTimeoutMs: number;
  /** Recordings: the read model and store behind the BBB recording calls, node uploads, playback and admin. */
  recordings: RecordingCallsDeps & {
    /** Where recordings are stored (uploads, playback, assets). */
    storage: ObjectStorage;
    /** `RECORDING_UPLOAD_MAX_BYTES`. */
    maxUploadBytes: number;
    /** `PLAYBACK_PLAYER_DIR`. */
    playerDir: string | undefined;
    /** Lifetime of presigned S3 playback redirects. */
    signedUrlSeconds: number;
    /** `RENDER_PROFILES`: what an admin re-render renders by default. */
    renderProfiles: readonly string[];
  };
  /** Key of the end callback URLs given to nodes (`CALLBACK_SECRET`); undefined = end callbacks pass through. */
  endCallbackKey: string | undefined;
  /** `PUBLIC_URL`: the origin of every URL bbb-ledger hands out; undefined = the request's own. */
  publicUrl: string | undefined;
  /** `HOOKS_PER_TENANT`. */
  hooksPerTenant: number;
}

/** The HTTP surface as a Koa app. It never listens: main.ts does, tests use `app.callback()`. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  const adminAuth = requireAdmin(deps.adminJwtKey, deps.adminTokenPolicy);
  const nodes = adminNodesRouter(deps);
  const tenants = adminTenantsRouter(deps);
  const history = adminHistoryRouter(deps);
  const usage = adminUsageRouter(deps);
  const recordings = { ...deps, list: deps.recordings.list, runner: deps.recordings.runner, storage: deps.recordings.storage, renderProfiles: deps.recordings.renderProfiles };
  const nodeUploads = nodeRecordingsRouter({ ...recordings, maxBytes: deps.recordings.maxUploadBytes });
  const adminRecordings = adminRecordingsRouter(recordings);
  const assets = adminAssetsRouter({ ...deps, storage: deps.recordings.storage });

  // Middleware, in the order it runs:
  // 1. failures of everything below become problem details
  app.use(problemDetails(deps.logger));
  // 2. a request id, echoed back and used as the correlation id of resulting events
  app.use(requestId);
  // 3. the index, health and ping, public
  app.use(serverIndex(VERSION));
  app.use(async (ctx, next) => (ctx.path === '/health' && ctx.method === 'GET' ? health(ctx, deps) : next()));
  app.use(ping(deps.store));
  // 3b. end callbacks from nodes (signed URLs we put in their creates)
  if (deps.endCallbackKey) app.use(endCallbackRoute({ store: deps.store, key: deps.endCallbackKey, now: deps.now, newId: deps.newId }));
  // 4. the BBB API (by tenant subdomain or /t/<tenant>/ path): answers only BBB XML, passes other paths on
  app.use(bbbRequestMetrics(deps.observeBbb, deps.baseDomain, deps.logger));
  app.use(bbbFrontDoor({ tenantDirectory: deps.tenantDirectory, baseDomain: deps.baseDomain, logger: deps.logger }));
  app.use(
    bbbMeetingCalls({
      ...deps,
      nodesForPlacement: async () => deps.nodeDirectory.nodesForPlacement(),
      nodeById: async (id) => deps.nodeDirectory.get(id),
      nodeDirectoryCaughtUp: (position) => deps.nodeDirectoryRunner.waitFor(position, { timeoutMs: deps.readYourWritesTimeoutMs }),
      tenantRequiredTags: (tenant) => deps.tenantDirectory.get(tenant)?.requiredTags ?? [],
      assets: deps.tenantDirectory,
    }),
  );
  // 5. tenant branding (public), nodes' recording uploads (node JWT), then playback of published recordings (public)
  app.use(assetServing({ tenantDirectory: deps.tenantDirectory, storage: deps.recordings.storage }));
  app.use(nodeUploads.routes());
  app.use(nodeUploads.allowedMethods({ throw: true }));
  app.use(playback({ ...deps.recordings, list: deps.recordings.list }));
  // 6. the admin API: authenticated first, so unknown admin paths do not reveal which routes exist; then a path
  //    or query the store could not hold is refused
  app.use(async (ctx, next) => (ctx.path.startsWith('/admin/api/') ? adminAuth(ctx, () => refuseUnstorableTarget(ctx, next)) : next()));
  app.use(nodes.routes());
  app.use(nodes.allowedMethods({ throw: true }));
  app.use(tenants.routes());
  app.use(tenants.allowedMethods({ throw: true }));
  app.use(history.routes());
  app.use(history.allowedMethods({ throw: true }));
  app.use(usage.routes());
  app.use(usage.allowedMethods({ throw: true }));
  app.use(adminRecordings.routes());
  app.use(adminRecordings.allowedMethods({ throw: true }));
  app.use(assets.routes());
  app.use(assets.allowedMethods({ throw: true }));
  return app;
}

function health(ctx: Context, deps: AppDeps): void {
  const answer = healthAnswer(deps.projections(), deps.store.kind, deps.stores());
  ctx.status = answer.status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = answer.body;
}
