import type { Redis } from 'ioredis';
import type { BlobStore } from './blobs/blobStore.js';
import type { PlacementReservations } from './commands/workflows/placementReservations.js';
import type { Config } from './config.js';
import type { EventStore, Position } from './eventstore/port.js';
import type { Observability } from './metrics/observability.js';
import type { RecordingUsage } from './metrics/recordingUsage.js';
import type { Logger } from './logging.js';
import type { BbbNodeClient } from './nodes/bbbNodeClient.js';
import { processPorts, sagaCommands } from './processPorts.js';
import type { NodeDirectory } from './projections/nodeDirectory.js';
import type { TenantDirectory } from './projections/tenantDirectory.js';
import { startRecordingProcesses, type RecordingProcesses } from './recordingProcesses.js';
import { DEFAULT_RETRY_POLICY } from './retryPolicy.js';
import { AUTOSCALE_SAGA, runAutoscaleSaga } from './sagas/autoscaleSaga.js';
import { DELIVERIES_SAGA, DELIVERY_DEFAULTS, runDeliveries } from './sagas/deliveries/runDeliveries.js';
import type { DeliveryQueues } from './sagas/deliveries/deliveryQueues.js';
import { FAILOVER_PROCESS, failoverProcess } from './sagas/failover/failoverProcess.js';
import { FLEET_PROCESS, fleetProcess } from './sagas/fleet/fleetProcess.js';
import { HOOK_FAN_OUT_SAGA, runHookFanOut } from './sagas/hooks/runHookFanOut.js';
import { runLeasedSaga } from './sagas/leasedSaga.js';
import { LIMITS_SAGA, runLimitsSaga } from './sagas/limitsSaga.js';
import { httpNodeProber } from './sagas/nodeProber.js';
import { runProcess } from './sagas/process/runProcess.js';
import { RENDER_SAGA } from './sagas/recordings/renderSaga.js';
import type { RunningSaga } from './sagas/runSaga.js';
import type { ObjectStorage } from './storage/objectStorage.js';
import { leaseProvider } from './storeWatch.js';

/** What the processes of one instance are given by the composition root (src/compose.ts). */
export interface ProcessSetDeps {
  config: Config;
  store: EventStore;
  logger: Logger;
  redis: Redis | undefined;
  observability: Observability;
  nodeDirectory: NodeDirectory;
  /** Resolves once the node directory has applied `position` (a failover's read-your-writes). */
  nodeDirectoryCaughtUp(position: Position): Promise<void>;
  tenantDirectory: TenantDirectory;
  nodeClient: BbbNodeClient;
  blobs: BlobStore;
  reservations: PlacementReservations;
  storage: ObjectStorage;
  recordingUsage: RecordingUsage;
  deliveryQueues: DeliveryQueues;
  /** Signs end and recording-ready callbacks and the autoscale webhook when it has no secret of its own. */
  endCallbackKey: string;
}

export interface ProcessSet {
  /** Starts every process (each under its lease, so in one instance at a time); call once the read models caught up. */
  start(): Promise<void>;
  /** Stops them all: their last commands are stored before this resolves. */
  stop(): Promise<void>;
}

/**
 * The processes (sagas) of one instance, part of the composition root: fleet health and load, failover, tenant
 * limits, the autoscale signal, callback and hook deliveries, the hook fan-out, and the recording processes
 * (recordingProcesses.ts). Each runs in one instance at a time, the lease holder's (docs: LEASE_TTL_MS).
 */
export function processSet(deps: ProcessSetDeps): ProcessSet {
  const { config, store, logger, redis, observability, nodeDirectory, tenantDirectory, nodeClient, endCallbackKey } = deps;
  const ports = processPorts({
    store,
    logger,
    prober: observability.prober(httpNodeProber({ timeoutMs: config.pollTimeoutMs, loadPlainScale: config.nodeLoadPlainScale })),
    nodeClient,
    nodes: () => nodeDirectory.nodesForPlacement(),
    failover: {
      blobs: deps.blobs,
      nodeClient,
      nodes: () => nodeDirectory.nodesForPlacement(),
      tenantRequiredTags: (tenant) => tenantDirectory.get(tenant)?.requiredTags ?? [],
      weights: config.loadWeights,
      reservations: deps.reservations,
      nodeDirectoryCaughtUp: deps.nodeDirectoryCaughtUp,
      // Without PUBLIC_URL there is no origin outside a request: the new node gets the client's URLs.
      ...(config.recordings.publicUrl ? { endCallbacks: { origin: config.recordings.publicUrl, key: endCallbackKey } } : {}),
    },
    allowPrivate: config.callbacksAllowPrivate,
    deliveryDeadlineMs: DELIVERY_DEFAULTS.deadlineMs,
  });
  const fleet = fleetProcess({
    intervalMs: config.pollIntervalMs,
    retryMs: config.pollRetryMs,
    timeoutMs: config.pollTimeoutMs,
    thresholds: { failThreshold: config.healthFailThreshold, recoverThreshold: config.healthRecoverThreshold },
    materiality: { participantsAbsolute: config.loadReportMinParticipants, participantsPercent: config.loadReportMinPercent, cpuPoints: config.loadReportCpuPoints },
    reconcile: { graceMs: config.reconcileGraceMs },
    spread: true,
    ...(config.nodeLoadPath ? { loadPath: config.nodeLoadPath } : {}),
  });
  const failover = failoverProcess({ callTimeoutMs: 2 * config.nodeTimeoutMs });
  const leases = leaseProvider(config, redis);
  if (config.eventStore.kind === 'esdb' && !redis) logger.warn('EVENTSTORE=esdb without REDIS_URL: sagas are not leased; run one instance only');
  const leased = (name: string, start: (stillHolds: () => boolean) => RunningSaga) =>
    runLeasedSaga({ name, lease: leases.lease(name), ttlMs: config.leaseTtlMs, renewMs: config.leaseRenewMs, logger, start: observability.leased(name, start) });
  const running: RunningSaga[] = [];
  let recordingProcesses: RecordingProcesses | undefined;
  const now = () => new Date();

  return {
    async start() {
      const hook = observability.processHook();
      running.push(
        leased(FLEET_PROCESS, (stillHolds) => runProcess({ process: fleet, store, logger, ports, stillHolds, hook, now })),
        leased(LIMITS_SAGA, (stillHolds) => runLimitsSaga({ store, commands: sagaCommands(store), logger, now, stillHolds })),
        leased(FAILOVER_PROCESS, (stillHolds) => runProcess({ process: failover, store, logger, ports, stillHolds, hook, concurrency: config.failoverConcurrency, now })),
      );
      recordingProcesses = await startRecordingProcesses({ config, store, logger, storage: deps.storage, leased });
      if (recordingProcesses.rendering) observability.queue(RENDER_SAGA, () => deps.recordingUsage.renderQueue(Date.now()));
      // bbb-webhooks' `domain` field: the host tenants reach us at.
      const hookDomain = config.recordings.publicUrl ? new URL(config.recordings.publicUrl).host : (config.baseDomain ?? 'bbb-ledger');
      running.push(
        leased(AUTOSCALE_SAGA, (stillHolds) =>
          runAutoscaleSaga({
            store,
            logger,
            policy: config.autoscale,
            intervalMs: config.autoscaleIntervalMs,
            nodes: () => nodeDirectory.nodesForPlacement().map((n) => ({ ...n, memory: n.memory ?? null })),
            now,
            stillHolds,
            webhook: config.autoscaleWebhook && { url: config.autoscaleWebhook.url, secret: config.autoscaleWebhook.secret ?? endCallbackKey },
            onRecommendation: (r) => observability.autoscale(r),
          }),
        ),
        leased(DELIVERIES_SAGA, (stillHolds) =>
          runDeliveries({ store, commands: sagaCommands(store), logger, stillHolds, allowPrivate: config.callbacksAllowPrivate, policy: DEFAULT_RETRY_POLICY, ...DELIVERY_DEFAULTS, limits: { queuedPerTenant: config.deliveryQueuePerTenant }, queues: deps.deliveryQueues, now, random: Math.random }),
        ),
        leased(HOOK_FAN_OUT_SAGA, (stillHolds) => runHookFanOut({ store, commands: sagaCommands(store), logger, stillHolds, domain: hookDomain, ...(config.recordings.publicUrl ? { publicUrl: config.recordings.publicUrl } : {}), now })),
      );
    },
    async stop() {
      await recordingProcesses?.stop();
      await Promise.all(running.map((saga) => saga.stop()));
      await leases.close();
    },
  };
}
