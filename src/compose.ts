import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import pg from 'pg';
import type { Config } from './config.js';
import { openEventStore } from './eventstore/open.js';
import { boundedPoolConfig } from './eventstore/postgres/postgresEventStore.js';
import type { EventStore } from './eventstore/port.js';
import { FileBlobStore } from './blobs/fileBlobStore.js';
import { MemoryBlobStore } from './blobs/memoryBlobStore.js';
import { createApp } from './http/app.js';
import { fastGetMeetings } from './http/bbb/fastGetMeetings.js';
import { fastJoin } from './http/bbb/fastJoin.js';
import { anyFastPath, withFastPath } from './http/bbb/fastPath.js';
import { MeetingsAnswerCache } from './http/bbb/meetingsAnswerCache.js';
import { createBbbNodeClient } from './nodes/bbbNodeClient.js';
import type { Logger } from './logging.js';
import { REDIS_READ_MODELS } from './rebuild/redisReadModels.js';
import { healPrefixOf, selfHealingModel } from './rebuild/selfHealing.js';
import { RunnerSet } from './projections/runnerSet.js';
import { READ_MODELS, registerReadModels, type ReadModels, type RegisteredReadModels } from './projections/readModels.js';
import type { NodeDirectory } from './projections/nodeDirectory.js';
import { StatsService } from './projections/stats/statsService.js';
import { UsageQueries } from './projections/stats/usageQueries.js';
import { IMPORT_SAGA } from './sagas/recordings/importSaga.js';
import { watchRedis, watchStatsPool } from './storeWatch.js';
import { DeliveryQueues } from './sagas/deliveries/deliveryQueues.js';
import { processSet } from './processSet.js';
import { PlacementReservations } from './commands/workflows/placementReservations.js';
import { JoinRecorder } from './commands/observations/joinRecorder.js';
import { LocalObjectStorage } from './storage/localStorage.js';
import type { ObjectStorage } from './storage/objectStorage.js';
import { S3ObjectStorage } from './storage/s3Storage.js';
import { LimitRecorder } from './policy/limitRecorder.js';
import { TenantPolicyGate, tenantUsageProjection } from './policy/tenantPolicyGate.js';
import { nodeLoad } from './domain/placement/loadModel.js';
import { Observability } from './metrics/observability.js';
import { RecordingUsage, recordingUsageProjection } from './metrics/recordingUsage.js';
import { recordingLinks } from './http/playback/recordingLinks.js';
import { memorySpentTokens, redisSpentTokens } from './http/playback/spentTokens.js';
import { usageProjection } from './metrics/usageProjection.js';

export interface Composed {
  /** Koa alone: every request, without the fast path (the parity test compares the two). */
  app: Koa;
  /** What a server listens with: the fast path for the plain successful join, then `app` for everything else; true when the fast path answered. */
  requestListener(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  store: EventStore;
  /** Set when ADMIN_JWT_SECRET was absent: an admin token valid until this process stops. */
  generatedAdminToken: string | undefined;
  /** Every node with its secret, for placement and calls to nodes. */
  nodeDirectory: NodeDirectory;
  /** Joins waiting to be appended; `flush()` stores them now (tests, before reading counts). */
  joinRecorder: Pick<JoinRecorder, 'flush'>;
  /** Connects Redis, starts the projections, resolves once every read model has caught up, then starts the sagas. */
  start(): Promise<void>;
  /** Stops the sagas and the projections, then closes Redis and the event store. The HTTP server is the caller's. */
  stop(): Promise<void>;
}

/** How often an instance looks for a statistics generation activated by a rebuild (then follows it). */
const STATS_WATCH_INTERVAL_MS = 5000;
/** Presigned S3 playback redirects last this long: long enough to start a video, short enough not to be shared. */
const PLAYBACK_SIGNED_URL_SECONDS = 300;

/** The one composition root: every client is built here and handed down as a parameter. */
export async function compose(config: Config, logger: Logger): Promise<Composed> {
  // 1. the event store: the truth everything else is rebuilt from
  const timeouts = config.storeTimeouts;
  const observability = new Observability(config.metrics, logger, (tenant) => tenantDirectory.get(tenant) !== undefined);
  const store = observability.store(await openEventStore(config.eventStore, logger, { timeoutMs: timeouts.eventStoreMs }));
  // 2. read models: shared in Redis, or in this process (embedded mode); every command bounded (REDIS_TIMEOUT_MS)
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: timeouts.redisMs, commandTimeout: timeouts.redisMs })
    : undefined;
  // Every instance answers from read models in its own process, fed by the log (no Redis round trip per
  // request, and nothing lost with Redis); with Redis, the shared, inspectable copy heals itself (below).
  const redisAvailability = redis && watchRedis(redis, logger);
  // Every read model of src/projections/readModels.ts, registered now and started by start(). Secrets stay in
  // this process (the tenant directory is never shared in Redis): every instance folds the tenant log itself.
  const runners = new RunnerSet(store, logger);
  const readModels: RegisteredReadModels<ReadModels> = registerReadModels(runners, READ_MODELS);
  const nodeList = readModels.nodeList.model;
  const tenantDirectory = readModels.tenantDirectory.model;
  const nodeDirectory = readModels.nodeDirectory.model;
  const meetings = readModels.meetingList.model;
  const recordingList = readModels.recordingList.model;
  if (redis) {
    const healPrefix = healPrefixOf(config.redisPrefix, randomUUID().slice(0, 8));
    for (const model of REDIS_READ_MODELS) {
      const options = { store, logger, redis, prefix: config.redisPrefix, model, healPrefix, checkIntervalMs: config.readModelCheckMs };
      runners.addRunner(`redis:${model.name}`, model.filter, (signal) => selfHealingModel({ ...options, signal }));
    }
  }
  // Statistics in Postgres (docs/analytics.md), only with DATABASE_URL.
  const statsPool = config.databaseUrl ? new pg.Pool(boundedPoolConfig(config.databaseUrl, timeouts.databaseMs)) : undefined;
  if (statsPool) watchStatsPool(statsPool, logger);
  const stats = statsPool && new StatsService({ pool: statsPool, store, logger, base: config.statsSchema, watchIntervalMs: STATS_WATCH_INTERVAL_MS });
  // 3. the admin key, generated (with a ready token) when none is configured
  const secret = config.adminJwtSecret ?? randomBytes(32).toString('base64url');
  const adminJwtKey = new TextEncoder().encode(secret);
  const generatedAdminToken = config.adminJwtSecret
    ? undefined
    : await new SignJWT({ scope: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('bootstrap')
        .setIssuedAt()
        .setExpirationTime(`${config.adminTokenMaxLifetimeS}s`)
        .sign(adminJwtKey);
  const adminTokenPolicy = { allowNoExp: config.adminTokenAllowNoExp, maxLifetimeS: config.adminTokenMaxLifetimeS };
  const endCallbackKey = config.callbackSecret ?? secret;
  // 4. recordings' storage; the tenant policy gate and the metrics, whose usage folds run beside the read models
  const storage: ObjectStorage = config.recordings.s3 ? new S3ObjectStorage(config.recordings.s3) : new LocalObjectStorage(config.recordings.dir);
  // Limits and parameter rules, checked in this process against usage folded from the meeting log.
  const limitRecorder = new LimitRecorder({ store, logger, windowMs: config.joinRecordWindowMs, now: () => new Date(), newId: randomUUID });
  const policy = new TenantPolicyGate({
    policyFor: (tenant, subId) => tenantDirectory.policyFor(tenant, subId),
    recorder: limitRecorder,
    // A create tries a few nodes, each up to NODE_TIMEOUT_MS; past this, one that never finished stops counting.
    pendingCreateTtlMs: 4 * config.nodeTimeoutMs,
    now: () => Date.now(),
  });
  runners.addInProcess(tenantUsageProjection, policy.target);
  if (observability.metrics) runners.addInProcess(usageProjection, observability.usage.target);
  const recordingUsage = new RecordingUsage(config.renderProfiles);
  if (observability.metrics) runners.addInProcess(recordingUsageProjection, recordingUsage.target);
  // 5. the HTTP app; create bodies, node calls and reservations are shared with failover
  const blobs = config.eventStore.kind === 'memory' ? new MemoryBlobStore() : new FileBlobStore(config.blobDir);
  const nodeClient = observability.nodeClient(createBbbNodeClient({ timeoutMs: config.nodeTimeoutMs }));
  const reservations = new PlacementReservations(config.loadWeights.cooldownMs, () => Date.now());
  const meetingsAnswers = new MeetingsAnswerCache();
  const joinRecorder = new JoinRecorder({ store, logger, windowMs: config.joinRecordWindowMs, now: () => new Date(), newId: randomUUID });
  const app = createApp({
    logger,
    store,
    observeBbb: observability.bbb,
    adminJwtKey,
    adminTokenPolicy,
    nodeList,
    nodeListRunner: readModels.nodeList.runner,
    tenantDirectory,
    tenantDirectoryRunner: readModels.tenantDirectory.runner,
    nodeDirectory,
    nodeDirectoryRunner: readModels.nodeDirectory.runner,
    baseDomain: config.baseDomain,
    meetings,
    meetingsAnswers,
    meetingsRunner: readModels.meetingList.runner,
    joinRecorder,
    policy,
    nodeClient,
    blobs,
    reservations,
    loadWeights: config.loadWeights,
    usage: statsPool && new UsageQueries(statsPool, config.statsSchema),
    projections: () => [...runners.status(), ...(stats?.status() ?? [])],
    stores: () => ({ eventStore: store.availability?.() ?? { available: true }, ...(redisAvailability ? { redis: redisAvailability.monitor.current() } : {}) }),
    now: () => new Date(),
    newId: randomUUID,
    readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
    recordings: {
      list: recordingList,
      runner: readModels.recordingList.runner,
      storage,
      publicUrl: config.recordings.publicUrl,
      maxUploadBytes: config.recordings.uploadMaxBytes,
      playerDir: config.recordings.playerDir,
      signedUrlSeconds: PLAYBACK_SIGNED_URL_SECONDS,
      renderProfiles: config.renderProfiles,
      links: recordingLinks({
        secret: endCallbackKey,
        ttlSeconds: config.recordings.linkTtlSeconds,
        sessionSeconds: config.recordings.playbackSessionSeconds,
        spent: redis ? redisSpentTokens(redis, config.redisPrefix) : memorySpentTokens(),
        now: Date.now,
      }),
      isProtected: (tenant) => tenantDirectory.recordingPolicyOf(tenant).protected,
    },
    endCallbackKey,
    hooksPerTenant: config.hooksPerTenant,
    publicUrl: config.recordings.publicUrl,
  });

  const joinLookups = { meetings, nodeById: async (id: string) => nodeDirectory.get(id), policy };
  const frontDoor = { tenantDirectory, baseDomain: config.baseDomain };
  // The node:http fast paths in front of Koa: which requests they take and why is at the top of src/http/app.ts.
  const requestListener = withFastPath(
    // A join the policy refuses falls through to Koa, which asks again: only that second answer is recorded.
    anyFastPath(
      observability.fastPath(
        'join',
        fastJoin({ ...frontDoor, joinRecorder, ...joinLookups, assets: tenantDirectory, publicUrl: config.recordings.publicUrl, policy: { join: (meeting, params) => policy.join(meeting, params, undefined, { recordRefusal: false }) } }),
      ),
      observability.fastPath('getMeetings', fastGetMeetings({ ...frontDoor, meetings, meetingsAnswers })),
      observability.endpoint(),
    ),
    app.callback(),
  );
  observability.queue('joins', () => ({ depth: joinRecorder.waiting }));
  observability.recordings(recordingUsage, IMPORT_SAGA);
  // The delivery process's queue, split as operators alert on it: end and recording-ready callbacks, hook messages.
  const deliveryQueues = new DeliveryQueues();
  observability.queue('callbacks', () => deliveryQueues.reading('callbacks', Date.now()));
  observability.queue('hooks', () => deliveryQueues.reading('hooks', Date.now()));
  observability.observe({
    nodes: () => nodeDirectory.nodesForPlacement(),
    loadOf: (node) => nodeLoad(node, config.loadWeights, Date.now(), reservations.summary()),
    tenantLimits: () => policy.limitReadings(tenantDirectory.list().map((t) => t.name)),
    projections: () => [...runners.status(), ...(stats?.status() ?? [])],
    projectionFilters: runners.filters(),
  });

  // 6. processes (sagas), started once the read models have caught up (src/processSet.ts)
  const processes = processSet({
    config,
    store,
    logger,
    redis,
    observability,
    nodeDirectory,
    nodeDirectoryCaughtUp: (position) => readModels.nodeDirectory.runner.waitFor(position, { timeoutMs: config.readYourWritesTimeoutMs }),
    tenantDirectory,
    nodeClient,
    blobs,
    reservations,
    storage,
    recordingUsage,
    deliveryQueues,
    endCallbackKey,
  });

  return {
    app,
    requestListener,
    store,
    generatedAdminToken,
    nodeDirectory,
    joinRecorder,
    async start() {
      if (redis) await redis.connect();
      // Statistics migrate now (a wrong DATABASE_URL stops the start) but catch up in the background.
      await Promise.all([runners.start(), stats?.launch()]);
      observability.start(store);
      await processes.start();
    },
    async stop() {
      // The joins of the last window are appended while the store is still open.
      await joinRecorder.stop();
      await limitRecorder.flush();
      // Processes first: their last commands must be stored before the store closes.
      await processes.stop();
      await runners.stop();
      await observability.stop();
      await stats?.stop();
      await statsPool?.end();
      redisAvailability?.stop();
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await store.close();
    },
  };
}
