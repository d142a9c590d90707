import { parseEventStoreLocation, type EventStoreLocation } from './eventstore/open.js';
import { DEFAULT_LOAD_WEIGHTS } from './domain/placement/loadDefaults.js';
import type { LoadWeights } from './domain/placement/loadModel.js';
import type { MetricsConfig } from './metrics/observability.js';
import type { AutoscalePolicy } from './domain/autoscale/recommend.js';
import { ConfigError, decimal, flag, integer, secretNamed, url } from './configValues.js';
import { autoscalePolicy, autoscaleWebhook, metricsConfig, type AutoscaleWebhookSetting } from './observabilityConfig.js';
import { recordingsConfig, type RecordingsConfig } from './recordingsConfig.js';
import { parseRenderProfiles, RenderProfilesError, type RenderProfileName } from './render/renderProfiles.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the process reads from its environment, validated once at start. */
export interface Config {
  /** `PORT`: TCP port of the HTTP server (0 = any free port). Default 8090. */
  port: number;
  /** `HOST`: interface to listen on. Default 0.0.0.0. */
  host: string;
  /** `EVENTSTORE`: where events live — `memory`, `pglite:<dir>`, `postgres://…`, `esdb://…`. Default `pglite:./data/events`. */
  eventStore: EventStoreLocation;
  /** `REDIS_URL`: Redis for shared read models; absent = read models in this process, rebuilt from the log at start. */
  redisUrl: string | undefined;
  /** `REDIS_PREFIX`: prefix of every Redis key this instance writes, so several deployments can share one Redis. Default `bbb-ledger:`. */
  redisPrefix: string;
  /**
   * `READ_MODEL_CHECK_MS`: how often each shared (Redis) read model's stored checkpoint is compared with the
   * one this instance committed; one gone or behind (keys deleted, Redis flushed or replaced) is rebuilt
   * from the log beside the live one. 50 to 600000. Default 1000.
   */
  readModelCheckMs: number;
  /** `DATABASE_URL`: Postgres for the statistics read model (docs/analytics.md); absent = no statistics, usage or stats endpoints. */
  databaseUrl: string | undefined;
  /**
   * `STATS_SCHEMA`: the control schema of the statistics (analyst views, active generation pointer); the tables
   * live in `<STATS_SCHEMA>_g<N>`. Lower-case letters, digits, `_`, at most 58 characters. Default `ledger_stats`.
   */
  statsSchema: string;
  /** `ADMIN_JWT_SECRET`: HS256 key of admin API tokens, ≥ 32 characters; absent = a random one per run, with a token printed at start. */
  adminJwtSecret: string | undefined;
  /** `ADMIN_TOKEN_ALLOW_NO_EXP`: `true` accepts admin tokens without `exp` (never expiring). Default false. */
  adminTokenAllowNoExp: boolean;
  /**
   * `ADMIN_TOKEN_MAX_LIFETIME_S`: an admin token whose `exp` is further ahead than this is refused, so a leaked
   * one stops working on its own; also the lifetime of the token printed at start. 60 s–1 year, default 7 days.
   */
  adminTokenMaxLifetimeS: number;
  /** `LOG_LEVEL`: one of fatal, error, warn, info, debug, trace, silent. Default info. */
  logLevel: LogLevel;
  /** `BASE_DOMAIN`: the domain whose subdomains name tenants, e.g. `lb.example.com` (optional for now). */
  baseDomain: string | undefined;
  /**
   * Deadlines of every call to a backing store, so a store that hangs gives errors within them instead of
   * requests that wait for ever (a BBB call then answers FAILED `internalError`, /health and /ping say
   * unavailable, and the instance recovers by itself when the store answers again):
   * - `EVENTSTORE_TIMEOUT_MS`: waiting for a connection, connecting, and each statement of the event store
   *   (PostgreSQL; EventStoreDB's `defaultDeadline` unless the connection string sets one). 100–600000, default 5000.
   * - `REDIS_TIMEOUT_MS`: connecting to Redis and each command. 50–600000, default 2000.
   * - `DATABASE_TIMEOUT_MS`: connecting to the statistics database and each statement (rebuild batches
   *   included, so keep it generous). 100–3600000, default 30000.
   */
  storeTimeouts: StoreTimeouts;
  /** `READ_YOUR_WRITES_TIMEOUT_MS`: longest an admin write waits for its read model before answering anyway. Default 5000. */
  readYourWritesTimeoutMs: number;
  /** `POLL_INTERVAL_MS`: how often every node is probed with getMeetings; a slow probe delays, never overlaps, the next. Default 10000. */
  pollIntervalMs: number;
  /**
   * `POLL_RETRY_MS`: after a failed probe a node is probed again this soon, not a whole interval later, until
   * `HEALTH_FAIL_THRESHOLD` failures in a row make it offline (then the interval again): a dead node is
   * detected in about one interval + threshold × retry, while one lost probe still moves nothing.
   * 50 ms up to `POLL_INTERVAL_MS`. Default 500 (or the interval, if shorter).
   */
  pollRetryMs: number;
  /** `POLL_TIMEOUT_MS`: longest a probe may take before it counts as a failure (`timeout`). Default 5000. */
  pollTimeoutMs: number;
  /** `HEALTH_FAIL_THRESHOLD`: consecutive failed probes that make a node offline (the first makes it unstable). Default 3. */
  healthFailThreshold: number;
  /** `HEALTH_RECOVER_THRESHOLD`: consecutive good probes that bring an unstable or offline node back. Default 5. */
  healthRecoverThreshold: number;
  /** `LOAD_REPORT_MIN_PARTICIPANTS`: participants, voice or video must move by at least this many for a new NodeLoadReported. Default 2. */
  loadReportMinParticipants: number;
  /** `LOAD_REPORT_MIN_PERCENT`: … and by at least this percentage of the last report (any meeting count change always reports). Default 5. */
  loadReportMinPercent: number;
  /** `LOAD_REPORT_CPU_POINTS`: CPU must move by this many percentage points for a new NodeLoadReported. Default 10. */
  loadReportCpuPoints: number;
  /** `RECONCILE_GRACE_MS`: a meeting of ours missing from its node's getMeetings is ended (reason reconciliation) only this long after we learnt of it. Default 30000. */
  reconcileGraceMs: number;
  /** `NODE_LOAD_PATH`: a load endpoint on every node's origin, polled with getMeetings (e.g. `/b3lb/load`); absent = none. */
  nodeLoadPath: string | undefined;
  /** `NODE_LOAD_PLAIN_SCALE`: what a plain number from the load endpoint is divided by to give a 0–1 CPU share (b3lb-load: 10000). Default 10000. */
  nodeLoadPlainScale: number;
  /** `NODE_TIMEOUT_MS`: longest a BBB call forwarded to a node (create, end, getMeetingInfo, …) may take. Default 5000. */
  nodeTimeoutMs: number;
  /**
   * `LEASE_TTL_MS`: how long a saga's lease (node polling, failover) lasts without renewal: when the instance
   * holding it dies, another takes the saga over within this plus `LEASE_RENEW_MS`. Redis with `REDIS_URL`,
   * else a Postgres advisory lock with a `postgres://` EVENTSTORE (the dead holder's session ends; a frozen
   * one is ended after this long idle), else in-process (embedded: one instance). Default 5000.
   */
  leaseTtlMs: number;
  /** `LEASE_RENEW_MS`: how often the holder renews its leases and the others try to take them; less than half of `LEASE_TTL_MS`. Default 1500. */
  leaseRenewMs: number;
  /** `FAILOVER_CONCURRENCY`: meetings of an offline node re-created on other nodes at once. Default 8. */
  failoverConcurrency: number;
  /**
   * `JOIN_RECORD_WINDOW_MS`: joins are counted in memory and appended as one MeetingJoined per meeting per
   * window this long, off the request path (a join never waits for the event store). Longer = fewer events;
   * the meeting list and node load show a join at most this much later; a crash loses at most this much of
   * join counts (the next poll corrects them). 0 = append at the next timer tick. 0–60000, default 250.
   */
  joinRecordWindowMs: number;
  /** `BLOB_DIR`: where create bodies (pre-uploaded documents) are kept. Default `./data/blobs`; in memory with `EVENTSTORE=memory`. */
  blobDir: string;
  /**
   * The load placement compares nodes by (src/domain/placement/loadModel.ts), in participant equivalents:
   * loadFactor · (a·(participants + reserved seats) + m·meetings + b·breakouts) + (cpuMax/order)·Σ_{n=1..order} cpuⁿ.
   * - `LOAD_PARTICIPANT_WEIGHT` (a): one participant. Default 1.
   * - `LOAD_MEETING_WEIGHT` (m): one meeting, however empty; `PLACEMENT_MEETING_WEIGHT` is its old name. Default 15.
   * - `LOAD_BREAKOUT_WEIGHT` (b): one breakout room (its users are counted in the parent). Default 5.
   * - `LOAD_CPU_MAX`: what a node at 100 % CPU adds (B3LB's cpu_max). Default 5000.
   * - `LOAD_CPU_ORDER`: terms of the CPU polynomial (B3LB's iterations); 0 ignores CPU. Default 6.
   * - `LOAD_RESERVED_SEATS`: seats a new meeting reserves on its node at once (BBBLB). Default 20.
   * - `LOAD_SIZE_HINT_MAX`: most seats a `meta_bbb-meeting-size-hint` may reserve. Default 100.
   * - `LOAD_COOLDOWN_SECONDS`: how long reserved seats take to decay linearly to 0. Default 300.
   */
  loadWeights: LoadWeights;
  /**
   * `GET /metrics` (Prometheus text, OpenMetrics on `Accept`), README "Metrics":
   * - `METRICS_ENABLED`: `false` serves no /metrics and measures nothing. Default true.
   * - `METRICS_TOKEN`: a scrape with `Authorization: Bearer <token>` is allowed from anywhere (use a long random one).
   * - `METRICS_ALLOW`: comma-separated addresses and CIDR ranges allowed without the token. Default
   *   `127.0.0.1,::1` (loopback) when no token is set, none when one is. Refused: 401 with a token set, else 403.
   */
  metrics: MetricsConfig;
  /**
   * The autoscaling signal (README "Autoscaling"), like the seed's autoscaler beside Scalelite:
   * - `AUTOSCALE_HIGH_WATERMARK`: mean utilisation (0-1) of the active nodes above which a node more is asked for. Default 0.8.
   * - `AUTOSCALE_LOW_WATERMARK`: below it one node fewer would do; less than the high one. Default 0.3.
   * - `MINIMUM_ACTIVE_MACHINES`: active nodes never recommended below this. Default 1.
   * - `AUTOSCALE_COOLDOWN_SECONDS`: no new recommendation this long after a change (nodes take minutes to boot or drain). Default 600.
   * - `AUTOSCALE_NODE_CAPACITY`: participants a node of load factor 1 carries at full utilisation. Default 200.
   * A node's utilisation is the busiest of its CPU, its memory and its participants against that capacity.
   */
  autoscale: AutoscalePolicy;
  /** `AUTOSCALE_INTERVAL_MS`: how often the signal looks at the fleet. 1000–3600000, default 30000. */
  autoscaleIntervalMs: number;
  /**
   * `AUTOSCALE_WEBHOOK_URL` (http/https): receives each changed recommendation as JSON, signed in
   * `X-BBB-Ledger-Signature: sha256=<HMAC-SHA256 of the body>` with `AUTOSCALE_WEBHOOK_SECRET`, else with the end
   * callbacks' key (`CALLBACK_SECRET`, else `ADMIN_JWT_SECRET`). Absent = no webhook; the events and the gauges are
   * there all the same.
   */
  autoscaleWebhook: AutoscaleWebhookSetting | undefined;
  /** `RENDER_PROFILES`: MP4s made of each imported recording, comma-separated: `video` (webcams + audio), `composite` (deskshare beside the webcams); `none` = no rendering. Default `video`. */
  renderProfiles: RenderProfileName[];
  /** `RENDER_CONCURRENCY`: ffmpeg processes at once in this instance; each takes every core it can. Default 1. */
  renderConcurrency: number;
  /** `RENDER_TIMEOUT_MS`: longest one render may run before ffmpeg is killed and the attempt fails (`timeout`). Default 3600000 (1 h). */
  renderTimeoutMs: number;
  /**
   * `CALLBACKS_ALLOW_PRIVATE`: `true` lets outgoing callbacks and hooks (recording-ready, tenant hooks) reach
   * loopback, private (RFC 1918, CGNAT, ULA), link-local and cloud metadata addresses. Off by default, so a
   * tenant cannot make bbb-ledger call into its own network (SSRF); turn it on for on-premise receivers and tests.
   */
  callbacksAllowPrivate: boolean;
  /**
   * `CALLBACK_SECRET`: key of the HMAC in the end callback URLs given to nodes, ≥ 32 characters, the same on
   * every instance. Absent = `ADMIN_JWT_SECRET`, else a random key per run (a restart then refuses the
   * callbacks of meetings created before it; their end is still seen at the next poll).
   */
  callbackSecret: string | undefined;
  /**
   * `DELIVERY_QUEUE_PER_TENANT`: outgoing deliveries (end callbacks, hook messages) one tenant may have
   * waiting; beyond it the newest are dead-lettered, so one tenant's dead receiver cannot fill the memory of
   * the delivery process (~15 kB each, docs/benchmarks.md). 1–1000000, default 1000.
   */
  deliveryQueuePerTenant: number;
  /** `HOOKS_PER_TENANT`: hooks (hooks/create) one tenant may have, all its sub-secrets together. 1–100000, default 100. */
  hooksPerTenant: number;
  /** Recordings: storage, import and playback (README, Recordings). */
  recordings: RecordingsConfig;
}

export interface StoreTimeouts {
  eventStoreMs: number;
  redisMs: number;
  databaseMs: number;
}



export { ConfigError } from './configValues.js';
export type { RecordingsConfig } from './recordingsConfig.js';

type Env = Record<string, string | undefined>;

/** @throws ConfigError naming the first variable with a wrong value. */
export function loadConfig(env: Env = process.env): Config {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  return {
    port: integer('PORT', value('PORT'), 8090, 0, 65535),
    host: value('HOST') ?? '0.0.0.0',
    eventStore: eventStore(value('EVENTSTORE') ?? 'pglite:./data/events'),
    redisUrl: url('REDIS_URL', value('REDIS_URL'), ['redis:', 'rediss:']),
    redisPrefix: value('REDIS_PREFIX') ?? 'bbb-ledger:',
    readModelCheckMs: integer('READ_MODEL_CHECK_MS', value('READ_MODEL_CHECK_MS'), 1000, 50, 600_000),
    databaseUrl: url('DATABASE_URL', value('DATABASE_URL'), ['postgres:', 'postgresql:']),
    statsSchema: statsSchema(value('STATS_SCHEMA') ?? 'ledger_stats'),
    adminJwtSecret: secret(value('ADMIN_JWT_SECRET')),
    adminTokenAllowNoExp: flag('ADMIN_TOKEN_ALLOW_NO_EXP', value('ADMIN_TOKEN_ALLOW_NO_EXP')),
    adminTokenMaxLifetimeS: integer('ADMIN_TOKEN_MAX_LIFETIME_S', value('ADMIN_TOKEN_MAX_LIFETIME_S'), 7 * 24 * 3600, 60, 365 * 24 * 3600),
    logLevel: logLevel(value('LOG_LEVEL') ?? 'info'),
    baseDomain: domain(value('BASE_DOMAIN')),
    storeTimeouts: {
      eventStoreMs: integer('EVENTSTORE_TIMEOUT_MS', value('EVENTSTORE_TIMEOUT_MS'), 5000, 100, 600_000),
      redisMs: integer('REDIS_TIMEOUT_MS', value('REDIS_TIMEOUT_MS'), 2000, 50, 600_000),
      databaseMs: integer('DATABASE_TIMEOUT_MS', value('DATABASE_TIMEOUT_MS'), 30_000, 100, 3_600_000),
    },
    readYourWritesTimeoutMs: integer('READ_YOUR_WRITES_TIMEOUT_MS', value('READ_YOUR_WRITES_TIMEOUT_MS'), 5000, 1, 600_000),
    ...pollTimes(value),
    pollTimeoutMs: integer('POLL_TIMEOUT_MS', value('POLL_TIMEOUT_MS'), 5000, 50, 600_000),
    healthFailThreshold: integer('HEALTH_FAIL_THRESHOLD', value('HEALTH_FAIL_THRESHOLD'), 3, 1, 100),
    healthRecoverThreshold: integer('HEALTH_RECOVER_THRESHOLD', value('HEALTH_RECOVER_THRESHOLD'), 5, 1, 100),
    loadReportMinParticipants: integer('LOAD_REPORT_MIN_PARTICIPANTS', value('LOAD_REPORT_MIN_PARTICIPANTS'), 2, 1, 100_000),
    loadReportMinPercent: integer('LOAD_REPORT_MIN_PERCENT', value('LOAD_REPORT_MIN_PERCENT'), 5, 0, 100),
    loadReportCpuPoints: integer('LOAD_REPORT_CPU_POINTS', value('LOAD_REPORT_CPU_POINTS'), 10, 1, 100),
    reconcileGraceMs: integer('RECONCILE_GRACE_MS', value('RECONCILE_GRACE_MS'), 30_000, 0, 3_600_000),
    nodeLoadPath: loadPath(value('NODE_LOAD_PATH')),
    nodeLoadPlainScale: integer('NODE_LOAD_PLAIN_SCALE', value('NODE_LOAD_PLAIN_SCALE'), 10_000, 1, 1_000_000),
    nodeTimeoutMs: integer('NODE_TIMEOUT_MS', value('NODE_TIMEOUT_MS'), 5000, 100, 120_000),
    ...leaseTimes(value),
    failoverConcurrency: integer('FAILOVER_CONCURRENCY', value('FAILOVER_CONCURRENCY'), 8, 1, 1000),
    joinRecordWindowMs: integer('JOIN_RECORD_WINDOW_MS', value('JOIN_RECORD_WINDOW_MS'), 250, 0, 60_000),
    blobDir: value('BLOB_DIR') ?? './data/blobs',
    loadWeights: loadWeights(value),
    metrics: metricsConfig(value),
    autoscale: autoscalePolicy(value),
    autoscaleIntervalMs: integer('AUTOSCALE_INTERVAL_MS', value('AUTOSCALE_INTERVAL_MS'), 30_000, 1000, 3_600_000),
    autoscaleWebhook: autoscaleWebhook(value),
    renderProfiles: renderProfiles(value('RENDER_PROFILES')),
    renderConcurrency: integer('RENDER_CONCURRENCY', value('RENDER_CONCURRENCY'), 1, 1, 64),
    renderTimeoutMs: integer('RENDER_TIMEOUT_MS', value('RENDER_TIMEOUT_MS'), 3_600_000, 1000, 86_400_000),
    callbacksAllowPrivate: flag('CALLBACKS_ALLOW_PRIVATE', value('CALLBACKS_ALLOW_PRIVATE')),
    callbackSecret: secretNamed('CALLBACK_SECRET', value('CALLBACK_SECRET')),
    deliveryQueuePerTenant: integer('DELIVERY_QUEUE_PER_TENANT', value('DELIVERY_QUEUE_PER_TENANT'), 1000, 1, 1_000_000),
    hooksPerTenant: integer('HOOKS_PER_TENANT', value('HOOKS_PER_TENANT'), 100, 1, 100_000),
    recordings: recordingsConfig(value),
  };
}



function pollTimes(value: (name: string) => string | undefined): Pick<Config, 'pollIntervalMs' | 'pollRetryMs'> {
  const pollIntervalMs = integer('POLL_INTERVAL_MS', value('POLL_INTERVAL_MS'), 10_000, 100, 3_600_000);
  const pollRetryMs = integer('POLL_RETRY_MS', value('POLL_RETRY_MS'), Math.min(500, pollIntervalMs), 50, 3_600_000);
  // A retry slower than the interval would make a failing node's probes rarer than a healthy one's.
  if (pollRetryMs > pollIntervalMs) throw new ConfigError('POLL_RETRY_MS', `${pollRetryMs} must not be more than POLL_INTERVAL_MS (${pollIntervalMs})`);
  return { pollIntervalMs, pollRetryMs };
}

function leaseTimes(value: (name: string) => string | undefined): Pick<Config, 'leaseTtlMs' | 'leaseRenewMs'> {
  const leaseTtlMs = integer('LEASE_TTL_MS', value('LEASE_TTL_MS'), 5000, 500, 600_000);
  const leaseRenewMs = integer('LEASE_RENEW_MS', value('LEASE_RENEW_MS'), Math.min(1500, Math.floor(leaseTtlMs / 3)), 50, 300_000);
  // Two renewals per lifetime at least: one slow renewal must not cost the lease.
  if (leaseRenewMs * 2 >= leaseTtlMs) throw new ConfigError('LEASE_RENEW_MS', `${leaseRenewMs} must be less than half of LEASE_TTL_MS (${leaseTtlMs})`);
  return { leaseTtlMs, leaseRenewMs };
}

function loadWeights(value: (name: string) => string | undefined): LoadWeights {
  const d = DEFAULT_LOAD_WEIGHTS;
  const meetingName = value('LOAD_MEETING_WEIGHT') === undefined && value('PLACEMENT_MEETING_WEIGHT') !== undefined ? 'PLACEMENT_MEETING_WEIGHT' : 'LOAD_MEETING_WEIGHT';
  return {
    participant: decimal('LOAD_PARTICIPANT_WEIGHT', value('LOAD_PARTICIPANT_WEIGHT'), d.participant, 0, 1000),
    meeting: decimal(meetingName, value(meetingName), d.meeting, 0, 10_000),
    breakoutMeeting: decimal('LOAD_BREAKOUT_WEIGHT', value('LOAD_BREAKOUT_WEIGHT'), d.breakoutMeeting, 0, 10_000),
    cpuMax: decimal('LOAD_CPU_MAX', value('LOAD_CPU_MAX'), d.cpuMax, 0, 1_000_000),
    cpuOrder: integer('LOAD_CPU_ORDER', value('LOAD_CPU_ORDER'), d.cpuOrder, 0, 20),
    reservedSeats: integer('LOAD_RESERVED_SEATS', value('LOAD_RESERVED_SEATS'), d.reservedSeats, 0, 10_000),
    sizeHintMax: integer('LOAD_SIZE_HINT_MAX', value('LOAD_SIZE_HINT_MAX'), d.sizeHintMax, 0, 100_000),
    cooldownMs: integer('LOAD_COOLDOWN_SECONDS', value('LOAD_COOLDOWN_SECONDS'), d.cooldownMs / 1000, 0, 86_400) * 1000,
  };
}






function renderProfiles(raw: string | undefined): RenderProfileName[] {
  try {
    return parseRenderProfiles(raw);
  } catch (error) {
    if (error instanceof RenderProfilesError) throw new ConfigError('RENDER_PROFILES', error.message);
    throw error;
  }
}


function loadPath(raw: string | undefined): string | undefined {
  if (raw !== undefined && !/^\/[A-Za-z0-9._~\/-]*$/.test(raw)) throw new ConfigError('NODE_LOAD_PATH', `"${raw}" is not an absolute path such as /b3lb/load`);
  return raw;
}

function eventStore(raw: string): EventStoreLocation {
  try {
    return parseEventStoreLocation(raw);
  } catch (error) {
    throw new ConfigError('EVENTSTORE', error instanceof Error ? error.message : String(error));
  }
}


function statsSchema(raw: string): string {
  // Generations append `_g<N>`, and Postgres names stop at 63 bytes.
  if (!/^[a-z_][a-z0-9_]{0,57}$/.test(raw)) throw new ConfigError('STATS_SCHEMA', `"${raw}" must be lower-case letters, digits and _, starting with a letter or _, at most 58 characters`);
  return raw;
}

function secret(raw: string | undefined): string | undefined {
  if (raw !== undefined && raw.length < 32) throw new ConfigError('ADMIN_JWT_SECRET', 'must be at least 32 characters (an HS256 key)');
  return raw;
}

function logLevel(raw: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new ConfigError('LOG_LEVEL', `"${raw}" is not one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function domain(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const d = raw.toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(d)) {
    throw new ConfigError('BASE_DOMAIN', `"${raw}" is not a domain name`);
  }
  return d;
}
