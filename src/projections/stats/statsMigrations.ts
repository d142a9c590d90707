import type { Migration } from '../../postgres/migrate.js';
import { quoteIdent } from '../../postgres/sqlNames.js';

/**
 * The tables of one generation of the statistics read model (docs/analytics.md). Times are timestamptz,
 * durations integer milliseconds, days UTC dates. `meeting_streams` is the fold's working memory.
 */
export const STATS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'stats tables',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
CREATE TABLE ${s}.checkpoints (name text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());

CREATE TABLE ${s}.meeting_streams (
  stream_id text PRIMARY KEY,
  running boolean NOT NULL,
  tenant text NOT NULL,
  node_id text NOT NULL,
  participants integer NOT NULL,
  state jsonb NOT NULL
);
CREATE INDEX meeting_streams_running_tenant ON ${s}.meeting_streams (tenant) WHERE running;
CREATE INDEX meeting_streams_running_node ON ${s}.meeting_streams (node_id) WHERE running;

CREATE TABLE ${s}.meetings (
  stream_id text NOT NULL,
  incarnation integer NOT NULL,
  tenant text NOT NULL,
  scope text NOT NULL,
  meeting_id text NOT NULL,
  node_id text NOT NULL,
  name text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  duration_ms bigint,
  end_reason text,
  peak_participants integer NOT NULL,
  joins integer NOT NULL,
  participant_ms bigint NOT NULL,
  recorded boolean NOT NULL,
  PRIMARY KEY (stream_id, incarnation)
);
CREATE INDEX meetings_tenant_started ON ${s}.meetings (tenant, started_at);
CREATE INDEX meetings_node_started ON ${s}.meetings (node_id, started_at);

CREATE TABLE ${s}.tenants (tenant text PRIMARY KEY, registered_at timestamptz NOT NULL);

CREATE TABLE ${s}.nodes (
  node_id text PRIMARY KEY,
  url text NOT NULL,
  registered_at timestamptz NOT NULL,
  admin_state text NOT NULL,
  health text NOT NULL,
  health_since timestamptz,
  health_reason text,
  health_detail text
);

CREATE TABLE ${s}.node_health_intervals (
  node_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  health text NOT NULL,
  reason text NOT NULL,
  detail text NOT NULL,
  PRIMARY KEY (node_id, started_at)
);

CREATE TABLE ${s}.tenant_days (
  tenant text NOT NULL,
  day date NOT NULL,
  meetings integer NOT NULL,
  meeting_ms bigint NOT NULL,
  participant_ms bigint NOT NULL,
  peak_meetings integer NOT NULL,
  peak_participants integer NOT NULL,
  failed_creates integer NOT NULL,
  abandoned_creates integer NOT NULL,
  PRIMARY KEY (tenant, day)
);

CREATE TABLE ${s}.node_days (
  node_id text NOT NULL,
  day date NOT NULL,
  meetings integer NOT NULL,
  meeting_ms bigint NOT NULL,
  participant_ms bigint NOT NULL,
  peak_meetings integer NOT NULL,
  peak_participants integer NOT NULL,
  failures integer NOT NULL,
  available_ms bigint NOT NULL,
  unstable_ms bigint NOT NULL,
  offline_ms bigint NOT NULL,
  PRIMARY KEY (node_id, day)
);
`;
    },
  },
];

/** The tables a rebuild compares and analysts read (not the checkpoint's timestamp, not migration times). */
export const STATS_TABLES = ['meeting_streams', 'meetings', 'tenants', 'nodes', 'node_health_intervals', 'tenant_days', 'node_days'] as const;
