import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LeanHistogram } from './leanHistogram.js';

/** Every family's name starts so; process and Node.js defaults keep prom-client's standard names. */
export const PREFIX = 'bbb_ledger_';

/** What a saga's queue reports at scrape time: items waiting, and the age of the oldest (0 when empty) if it knows. */
export interface QueueReading {
  depth: number;
  oldestAgeSeconds?: number;
}

/** Seconds: from a fast-path join (~50 µs) to a node call timing out (`NODE_TIMEOUT_MS`, 5 s by default). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Failover takes from seconds (detection) to minutes (many meetings, few nodes). */
const FAILOVER_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/**
 * The one registry of a process, with every family the balancer reports (names follow Prometheus' conventions:
 * base units, `_total` counters, help on each). Labels are tenant, node, call, outcome, reason, saga and
 * projection names only: never a meeting ID, a user name or a secret (cardinality and privacy).
 * Built per composition (never a module singleton), so tests and two products in one process stay apart.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Saga queues by saga name, read at scrape time (imports, renders, callbacks, hooks register as they land). */
  readonly queues = new Map<string, () => QueueReading>();
  /** The BBB API as clients see it: every call, answered by the fast path or by Koa. */
  readonly bbbRequests: LeanHistogram;
  readonly checksumFailures: Counter<'tenant'>;
  readonly nodeCallDuration: Histogram<'call' | 'outcome'>;
  readonly nodeCalls: Counter<'node' | 'call' | 'outcome'>;
  readonly nodeCallSeconds: Counter<'node' | 'call'>;
  readonly pollDuration: Histogram<'outcome'>;
  readonly pollSeconds: Counter<'node'>;
  readonly pollFailures: Counter<'node' | 'reason'>;
  readonly appendDuration: Histogram<'outcome'>;
  readonly appendConflicts: Counter;
  readonly leaseHeld: Gauge<'saga'>;
  readonly processEffects: Counter<'saga' | 'kind' | 'outcome'>;
  readonly sagaQueueDepth: Gauge<'saga'>;
  readonly sagaQueueOldestAge: Gauge<'saga'>;
  readonly failoverDuration: Histogram;
  readonly autoscaleRecommendation: Gauge;
  readonly autoscaleDesiredNodes: Gauge;
  readonly autoscaleUtilisation: Gauge;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.bbbRequests = new LeanHistogram(
      `${PREFIX}bbb_request_duration_seconds`,
      'BBB API requests by call and outcome (success, or failed:<messageKey> as answered), from the first byte read to the answer written.',
      ['call', 'outcome'],
      LATENCY_BUCKETS,
      this.registry,
    );
    this.checksumFailures = new Counter({
      name: `${PREFIX}checksum_failures_total`,
      help: 'BBB API requests refused with checksumError, by tenant ("unknown" when the address names no registered tenant).',
      labelNames: ['tenant'],
      registers,
    });
    // Per node: counts and summed seconds (mean latency per node and call); quantiles fleet-wide, so 1,000
    // nodes do not make 1,000 histograms (docs/benchmarks.md, scrape size).
    this.nodeCallDuration = new Histogram({
      name: `${PREFIX}node_call_duration_seconds`,
      help: 'BBB calls this balancer made to nodes, by call and outcome (success, or failed:<reason>).',
      labelNames: ['call', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.nodeCalls = new Counter({
      name: `${PREFIX}node_calls_total`,
      help: 'BBB calls this balancer made to nodes, by node, call and outcome (success, or failed:<reason>).',
      labelNames: ['node', 'call', 'outcome'],
      registers,
    });
    this.nodeCallSeconds = new Counter({
      name: `${PREFIX}node_call_seconds_total`,
      help: 'Seconds spent in calls to nodes, by node and call: divided by node_calls_total, the mean latency.',
      labelNames: ['node', 'call'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: `${PREFIX}poll_duration_seconds`,
      help: 'Probes of nodes (getMeetings and the load endpoint), by outcome (success or failure).',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pollSeconds = new Counter({
      name: `${PREFIX}poll_seconds_total`,
      help: 'Seconds spent probing a node: divided by the node\'s probes (poll_failures_total and node_health), the mean probe time.',
      labelNames: ['node'],
      registers,
    });
    this.pollFailures = new Counter({
      name: `${PREFIX}poll_failures_total`,
      help: 'Failed probes of a node, by node and reason (timeout, connection, http, checksumError, badXml).',
      labelNames: ['node', 'reason'],
      registers,
    });
    this.appendDuration = new Histogram({
      name: `${PREFIX}eventstore_append_duration_seconds`,
      help: 'Appends to the event store, by outcome (success, conflict, failure).',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendConflicts = new Counter({
      name: `${PREFIX}eventstore_append_conflicts_total`,
      help: 'Appends refused because the stream moved on (wrong expected revision); the command loop retries them.',
      registers,
    });
    this.leaseHeld = new Gauge({ name: `${PREFIX}saga_lease_held`, help: '1 while this instance holds the saga\'s lease and runs it, else 0.', labelNames: ['saga'], registers });
    this.processEffects = new Counter({
      name: `${PREFIX}saga_effects_total`,
      help: 'Effects a process performed (command, observe, deliver), by outcome: done, failed (logged, asked again later), refused (the lease or the process no longer wanted it).',
      labelNames: ['saga', 'kind', 'outcome'],
      registers,
    });
    const queues = this.queues;
    const queueGauge = (name: string, help: string, value: (reading: QueueReading) => number | undefined) =>
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ['saga'],
        registers,
        collect() {
          for (const [saga, read] of queues) {
            const v = value(read());
            if (v !== undefined) this.set({ saga }, v);
          }
        },
      });
    this.sagaQueueDepth = queueGauge('saga_queue_depth', 'Items waiting in a saga\'s queue (imports, renders, callbacks, hooks, joins to record).', (r) => r.depth);
    this.sagaQueueOldestAge = queueGauge('saga_queue_oldest_age_seconds', 'Age of the oldest item waiting in a saga\'s queue; 0 when empty.', (r) => r.oldestAgeSeconds);
    this.failoverDuration = new Histogram({
      name: `${PREFIX}failover_duration_seconds`,
      help: 'From a node going offline to each of its meetings running on another node (MeetingMoved), from the log.',
      buckets: FAILOVER_BUCKETS,
      registers,
    });
    this.autoscaleRecommendation = new Gauge({ name: `${PREFIX}autoscale_recommendation`, help: 'The autoscaling signal: -1 remove a node, 0 keep, +1 add a node.', registers });
    this.autoscaleDesiredNodes = new Gauge({ name: `${PREFIX}autoscale_desired_nodes`, help: 'Active nodes the autoscaling signal asks for.', registers });
    this.autoscaleUtilisation = new Gauge({ name: `${PREFIX}autoscale_utilisation_ratio`, help: 'Cluster utilisation (0-1) the autoscaling signal compares with its watermarks.', registers });
  }
}
