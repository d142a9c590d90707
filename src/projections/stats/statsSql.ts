import type { PoolClient } from 'pg';
import { quoteIdent } from '../../postgres/sqlNames.js';
import type { Concurrency, MeetingStreamRow, NodeRow, StatsChanges, StatsSnapshot } from './statsModel.js';
import type { StatsOp } from './statsOps.js';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * Loads what the ops of a batch need of earlier batches: their meeting streams, then the nodes and the
 * running totals of every tenant and node those streams and ops name. Three queries, whatever the batch size.
 */
export async function loadSnapshot(db: Queryable, schema: string, ops: readonly StatsOp[]): Promise<StatsSnapshot> {
  const s = quoteIdent(schema);
  const streamIds = new Set<string>();
  const tenants = new Set<string>();
  const nodeIds = new Set<string>();
  for (const op of ops) {
    if ('stream' in op) streamIds.add(op.stream);
    if ('tenant' in op) tenants.add(op.tenant);
    if ('nodeId' in op) nodeIds.add(op.nodeId);
  }
  const streams = new Map<string, MeetingStreamRow>();
  if (streamIds.size > 0) {
    const { rows } = await db.query<{ state: MeetingStreamRow }>(`SELECT state FROM ${s}.meeting_streams WHERE stream_id = ANY($1)`, [[...streamIds]]);
    for (const { state } of rows) {
      streams.set(state.stream, state);
      tenants.add(state.tenant);
      nodeIds.add(state.nodeId);
    }
  }
  const nodes = new Map<string, NodeRow>();
  const { rows: nodeRows } = await db.query<NodeDbRow>(`SELECT * FROM ${s}.nodes WHERE node_id = ANY($1)`, [[...nodeIds]]);
  for (const row of nodeRows) nodes.set(row.node_id, nodeFromDb(row));
  const { rows: now } = await db.query<{ kind: string; key: string; meetings: number; participants: number }>(
    `SELECT 't' AS kind, tenant AS key, count(*)::int AS meetings, sum(participants)::int AS participants
       FROM ${s}.meeting_streams WHERE running AND tenant = ANY($1) GROUP BY tenant
     UNION ALL
     SELECT 'n', node_id, count(*)::int, sum(participants)::int
       FROM ${s}.meeting_streams WHERE running AND node_id = ANY($2) GROUP BY node_id`,
    [[...tenants], [...nodeIds]],
  );
  const tenantsNow = new Map<string, Concurrency>();
  const nodesNow = new Map<string, Concurrency>();
  for (const r of now) (r.kind === 't' ? tenantsNow : nodesNow).set(r.key, { meetings: r.meetings, participants: r.participants });
  return { streams, nodes, tenantsNow, nodesNow };
}

interface NodeDbRow {
  node_id: string;
  url: string;
  registered_at: Date;
  admin_state: string;
  health: string;
  health_since: Date | null;
  health_reason: string | null;
  health_detail: string | null;
}

function nodeFromDb(r: NodeDbRow): NodeRow {
  return {
    nodeId: r.node_id,
    url: r.url,
    registeredAt: r.registered_at.toISOString(),
    adminState: r.admin_state,
    health: r.health,
    healthSince: r.health_since?.toISOString() ?? null,
    healthReason: r.health_reason,
    healthDetail: r.health_detail,
  };
}

interface Upsert {
  table: string;
  columns: Array<[name: string, type: string]>;
  key: string[];
  /** `SET` expressions on conflict; by default every non-key column takes the new value. */
  merge?: Record<string, string>;
  rows: unknown[];
}

/** Writes a batch's changes: one `INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT` per table. */
export async function writeChanges(db: Queryable, schema: string, changes: StatsChanges): Promise<void> {
  for (const upsert of upserts(changes)) {
    if (upsert.rows.length === 0) continue;
    const names = upsert.columns.map(([n]) => n).join(', ');
    const record = upsert.columns.map(([n, t]) => `${n} ${t}`).join(', ');
    const sets = upsert.columns
      .filter(([n]) => !upsert.key.includes(n))
      .map(([n]) => `${n} = ${upsert.merge?.[n] ?? `EXCLUDED.${n}`}`)
      .join(', ');
    await db.query(
      `INSERT INTO ${quoteIdent(schema)}.${upsert.table} AS t (${names})
       SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${record})
       ON CONFLICT (${upsert.key.join(', ')}) DO ${sets ? `UPDATE SET ${sets}` : 'NOTHING'}`,
      [JSON.stringify(upsert.rows)],
    );
  }
}

const add = (n: string) => `t.${n} + EXCLUDED.${n}`;
const greatest = (n: string) => `GREATEST(t.${n}, EXCLUDED.${n})`;

function upserts(c: StatsChanges): Upsert[] {
  return [
    {
      table: 'meeting_streams',
      columns: [['stream_id', 'text'], ['running', 'boolean'], ['tenant', 'text'], ['node_id', 'text'], ['participants', 'integer'], ['state', 'jsonb']],
      key: ['stream_id'],
      rows: [...c.streams.values()].map((r) => ({ stream_id: r.stream, running: r.running, tenant: r.tenant, node_id: r.nodeId, participants: r.participants, state: r })),
    },
    {
      table: 'meetings',
      columns: [
        ['stream_id', 'text'], ['incarnation', 'integer'], ['tenant', 'text'], ['scope', 'text'], ['meeting_id', 'text'], ['node_id', 'text'],
        ['name', 'text'], ['started_at', 'timestamptz'], ['ended_at', 'timestamptz'], ['duration_ms', 'bigint'], ['end_reason', 'text'],
        ['peak_participants', 'integer'], ['joins', 'integer'], ['participant_ms', 'bigint'], ['recorded', 'boolean'],
      ],
      key: ['stream_id', 'incarnation'],
      rows: [...c.meetings.values()].map((m) => ({
        stream_id: m.stream, incarnation: m.incarnation, tenant: m.tenant, scope: m.scope, meeting_id: m.meetingID, node_id: m.nodeId, name: m.name,
        started_at: m.startedAt, ended_at: m.endedAt, duration_ms: m.durationMs, end_reason: m.endReason,
        peak_participants: m.peakParticipants, joins: m.joins, participant_ms: m.participantMs, recorded: m.recorded,
      })),
    },
    {
      table: 'tenants',
      columns: [['tenant', 'text'], ['registered_at', 'timestamptz']],
      key: ['tenant'],
      merge: { registered_at: 'LEAST(t.registered_at, EXCLUDED.registered_at)' },
      rows: [...c.tenants.values()].map((t) => ({ tenant: t.tenant, registered_at: t.registeredAt })),
    },
    {
      table: 'nodes',
      columns: [
        ['node_id', 'text'], ['url', 'text'], ['registered_at', 'timestamptz'], ['admin_state', 'text'], ['health', 'text'],
        ['health_since', 'timestamptz'], ['health_reason', 'text'], ['health_detail', 'text'],
      ],
      key: ['node_id'],
      rows: [...c.nodes.values()].map((n) => ({
        node_id: n.nodeId, url: n.url, registered_at: n.registeredAt, admin_state: n.adminState, health: n.health,
        health_since: n.healthSince, health_reason: n.healthReason, health_detail: n.healthDetail,
      })),
    },
    {
      table: 'node_health_intervals',
      columns: [['node_id', 'text'], ['started_at', 'timestamptz'], ['ended_at', 'timestamptz'], ['health', 'text'], ['reason', 'text'], ['detail', 'text']],
      key: ['node_id', 'started_at'],
      rows: [...c.healthIntervals.values()].map((h) => ({ node_id: h.nodeId, started_at: h.startedAt, ended_at: h.endedAt, health: h.health, reason: h.reason, detail: h.detail })),
    },
    {
      table: 'tenant_days',
      columns: [
        ['tenant', 'text'], ['day', 'date'], ['meetings', 'integer'], ['meeting_ms', 'bigint'], ['participant_ms', 'bigint'],
        ['peak_meetings', 'integer'], ['peak_participants', 'integer'], ['failed_creates', 'integer'], ['abandoned_creates', 'integer'],
      ],
      key: ['tenant', 'day'],
      merge: {
        meetings: add('meetings'), meeting_ms: add('meeting_ms'), participant_ms: add('participant_ms'), peak_meetings: greatest('peak_meetings'),
        peak_participants: greatest('peak_participants'), failed_creates: add('failed_creates'), abandoned_creates: add('abandoned_creates'),
      },
      rows: [...c.tenantDays.values()].map((d) => ({
        tenant: d.tenant, day: d.day, meetings: d.meetings, meeting_ms: d.meetingMs, participant_ms: d.participantMs, peak_meetings: d.peakMeetings,
        peak_participants: d.peakParticipants, failed_creates: d.failedCreates, abandoned_creates: d.abandonedCreates,
      })),
    },
    {
      table: 'node_days',
      columns: [
        ['node_id', 'text'], ['day', 'date'], ['meetings', 'integer'], ['meeting_ms', 'bigint'], ['participant_ms', 'bigint'], ['peak_meetings', 'integer'],
        ['peak_participants', 'integer'], ['failures', 'integer'], ['available_ms', 'bigint'], ['unstable_ms', 'bigint'], ['offline_ms', 'bigint'],
      ],
      key: ['node_id', 'day'],
      merge: {
        meetings: add('meetings'), meeting_ms: add('meeting_ms'), participant_ms: add('participant_ms'), peak_meetings: greatest('peak_meetings'),
        peak_participants: greatest('peak_participants'), failures: add('failures'), available_ms: add('available_ms'), unstable_ms: add('unstable_ms'), offline_ms: add('offline_ms'),
      },
      rows: [...c.nodeDays.values()].map((d) => ({
        node_id: d.nodeId, day: d.day, meetings: d.meetings, meeting_ms: d.meetingMs, participant_ms: d.participantMs, peak_meetings: d.peakMeetings,
        peak_participants: d.peakParticipants, failures: d.failures, available_ms: d.availableMs, unstable_ms: d.unstableMs, offline_ms: d.offlineMs,
      })),
    },
  ];
}
