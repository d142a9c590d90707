import type { AutoscaleRecommendation } from '../domain/autoscale/events.js';
import type { SubscriptionFilter, EventStore } from '../eventstore/port.js';
import type { FastPath } from '../http/bbb/fastPath.js';
import type { Logger } from '../logging.js';
import type { BbbNodeClient } from '../nodes/bbbNodeClient.js';
import type { ProjectionStatus } from '../projections/runner.js';
import type { NodeProber } from '../sagas/nodeProber.js';
import type { ProcessHook } from '../sagas/process/ports.js';
import type { RunningSaga } from '../sagas/runSaga.js';
import { bbbObserver, NO_BBB_OBSERVER, type BbbObserver } from './bbbObserver.js';
import { timedFastPath } from './bbbRequestMetrics.js';
import { exposer } from './exposition.js';
import { registerFleetGauges, type FleetSources } from './fleetGauges.js';
import { instrumentedEventStore, instrumentedNodeClient, instrumentedProber } from './instrumentedPorts.js';
import { LogHead } from './logHead.js';
import { metricsAccess, type MetricsAccessConfig } from './metricsAccess.js';
import { metricsEndpoint } from './metricsEndpoint.js';
import { registerProjectionGauges } from './projectionGauges.js';
import { registerRecordingGauges, type RecordingUsage } from './recordingUsage.js';
import { Metrics, type QueueReading } from './registry.js';
import { UsageModel } from './usageModel.js';

export interface MetricsConfig extends MetricsAccessConfig {
  /** `METRICS_ENABLED`: false serves no /metrics and measures nothing (the join bench's baseline). */
  enabled: boolean;
}

export interface ObservedSources extends Omit<FleetSources, 'usage'> {
  projections(): ProjectionStatus[];
  projectionFilters: ReadonlyMap<string, SubscriptionFilter>;
}

/**
 * Everything the composition root does for metrics, each a wrapper or a value it hands down: the ports
 * decorated, the BBB observer, the `/metrics` endpoint, the usage model the read-model gauges read.
 * Disabled, every wrapper is the identity and nothing is registered.
 */
export class Observability {
  readonly metrics: Metrics | undefined;
  readonly bbb: BbbObserver;
  /** Usage counts from the log (its projection is registered by compose with the other read models). */
  readonly usage: UsageModel;
  private readonly head = new LogHead();

  constructor(
    private readonly config: MetricsConfig,
    private readonly logger: Logger,
    tenantKnown: (tenant: string) => boolean,
  ) {
    this.metrics = config.enabled ? new Metrics() : undefined;
    const { metrics } = this;
    this.bbb = metrics ? bbbObserver(metrics, tenantKnown) : NO_BBB_OBSERVER;
    this.usage = new UsageModel((seconds) => metrics?.failoverDuration.observe(seconds));
  }

  store(store: EventStore): EventStore {
    return this.metrics ? instrumentedEventStore(store, this.metrics) : store;
  }

  nodeClient(client: BbbNodeClient): BbbNodeClient {
    return this.metrics ? instrumentedNodeClient(client, this.metrics) : client;
  }

  prober(prober: NodeProber): NodeProber {
    return this.metrics ? instrumentedProber(prober, this.metrics) : prober;
  }

  fastPath(call: string, path: FastPath): FastPath {
    return this.metrics ? timedFastPath(call, path, this.bbb) : path;
  }

  /** `GET /metrics` in front of everything; without metrics it leaves the path to Koa (404). */
  endpoint(): FastPath {
    const { metrics } = this;
    if (!metrics) return async () => false;
    return metricsEndpoint({ access: metricsAccess(this.config), render: exposer(metrics.registry), logger: this.logger });
  }

  /** A leased saga's start, with `bbb_ledger_saga_lease_held{saga}` following who runs it (through the process hook). */
  leased(name: string, start: (stillHolds: () => boolean) => RunningSaga): (stillHolds: () => boolean) => RunningSaga {
    if (!this.metrics) return start;
    const hook = this.processHook();
    hook.leaseHeld(name, false);
    return (stillHolds) => {
      const saga = start(stillHolds);
      hook.leaseHeld(name, true);
      return { stop: () => saga.stop().finally(() => hook.leaseHeld(name, false)) };
    };
  }

  /** The one metrics hook of the process runtime: lease held, effects performed, queue depth. */
  processHook(): ProcessHook {
    const { metrics } = this;
    return {
      leaseHeld: (process, held) => metrics?.leaseHeld.set({ saga: process }, held ? 1 : 0),
      effect: (process, kind, outcome) => metrics?.processEffects.inc({ saga: process, kind, outcome }),
      queue: (process, read) => this.queue(process, read),
    };
  }

  /** A saga's queue, read at scrape time as `bbb_ledger_saga_queue_depth{saga}` and its oldest item's age. */
  queue(saga: string, read: () => QueueReading): void {
    this.metrics?.queues.set(saga, read);
  }

  /** Recordings and bytes per tenant, and the import queue, from the model compose feeds (`metricsRecordings`). */
  recordings(usage: RecordingUsage, importSaga: string, now: () => number = Date.now): void {
    if (!this.metrics) return;
    registerRecordingGauges(this.metrics, usage);
    this.queue(importSaga, () => usage.importQueue(now()));
  }

  /** The autoscale gauges follow every look at the fleet. */
  autoscale(recommendation: AutoscaleRecommendation): void {
    const { metrics } = this;
    if (!metrics) return;
    metrics.autoscaleRecommendation.set(recommendation.recommendation);
    metrics.autoscaleDesiredNodes.set(recommendation.desiredNodes);
    metrics.autoscaleUtilisation.set(recommendation.utilisation);
  }

  /** The gauges computed at scrape time, once the read models they read exist. */
  observe(sources: ObservedSources, now: () => number = Date.now): void {
    if (!this.metrics) return;
    registerFleetGauges(this.metrics, { ...sources, usage: this.usage });
    registerProjectionGauges(this.metrics, { statuses: sources.projections, filters: sources.projectionFilters, head: this.head, now });
  }

  start(store: Pick<EventStore, 'subscribe'>): void {
    if (this.metrics) this.head.start(store, this.logger);
  }

  async stop(): Promise<void> {
    await this.head.stop();
  }
}
