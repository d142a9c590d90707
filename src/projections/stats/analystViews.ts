import { quoteIdent } from '../../postgres/sqlNames.js';

/**
 * The stable names analysts query (docs/analytics.md): views in the control schema over the active
 * generation. Minutes are numeric with two decimals; the tables keep exact milliseconds.
 */
export function analystViewsDdl(base: string, generation: string): string {
  const b = quoteIdent(base);
  const g = quoteIdent(generation);
  const minutes = (column: string, as: string) => `round(${column} / 60000.0, 2) AS ${as}`;
  return `
CREATE OR REPLACE VIEW ${b}.meetings AS
  SELECT tenant, scope, meeting_id, node_id, name, started_at, ended_at, ${minutes('duration_ms', 'duration_minutes')},
         peak_participants, joins, ${minutes('participant_ms', 'participant_minutes')}, recorded, end_reason, stream_id, incarnation
    FROM ${g}.meetings;

CREATE OR REPLACE VIEW ${b}.tenant_daily_usage AS
  SELECT tenant, day, meetings, ${minutes('meeting_ms', 'meeting_minutes')}, ${minutes('participant_ms', 'participant_minutes')},
         peak_meetings AS peak_concurrent_meetings, peak_participants AS peak_concurrent_participants, failed_creates, abandoned_creates
    FROM ${g}.tenant_days;

CREATE OR REPLACE VIEW ${b}.node_daily_usage AS
  SELECT node_id, day, meetings, ${minutes('meeting_ms', 'meeting_minutes')}, ${minutes('participant_ms', 'participant_minutes')},
         round(meeting_ms / 86400000.0, 3) AS avg_concurrent_meetings, peak_meetings AS peak_concurrent_meetings,
         peak_participants AS peak_concurrent_participants, failures,
         ${minutes('available_ms', 'available_minutes')}, ${minutes('unstable_ms', 'unstable_minutes')}, ${minutes('offline_ms', 'offline_minutes')}
    FROM ${g}.node_days;

CREATE OR REPLACE VIEW ${b}.node_health_intervals AS
  SELECT node_id, health, started_at, ended_at, reason, detail FROM ${g}.node_health_intervals;

CREATE OR REPLACE VIEW ${b}.nodes AS
  SELECT node_id, url, registered_at, admin_state, health, health_since FROM ${g}.nodes;

CREATE OR REPLACE VIEW ${b}.tenants AS
  SELECT tenant, registered_at FROM ${g}.tenants;
`;
}

export const ANALYST_VIEWS = ['meetings', 'tenant_daily_usage', 'node_daily_usage', 'node_health_intervals', 'nodes', 'tenants'] as const;

/** A NOLOGIN role (grant it to login users) that can read the views and nothing else. Idempotent. */
export function analystRoleDdl(base: string, role: string): string {
  const r = quoteIdent(role);
  const b = quoteIdent(base);
  return `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role)}) THEN CREATE ROLE ${r} NOLOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA ${b} TO ${r};
${ANALYST_VIEWS.map((v) => `GRANT SELECT ON ${b}.${v} TO ${r};`).join('\n')}
`;
}

const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
