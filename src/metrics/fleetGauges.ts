import { Counter, Gauge } from 'prom-client';
import { NODE_ADMIN_STATES } from '../domain/node/events.js';
import { NODE_HEALTHS } from '../domain/node/health.js';
import type { DirectoryNode } from '../projections/nodeDirectory.js';
import { PREFIX, type Metrics } from './registry.js';
import type { UsageModel } from './usageModel.js';

// One series per health a poll can give; a node never polled has none set to 1.
const HEALTHS = NODE_HEALTHS.filter((health) => health !== 'unknown');

/** One tenant's limit and its use, as the policy gate reports it. */
export interface TenantLimitReading {
  tenant: string;
  /** `meetings` (running meetings) or `attendees` (participants). */
  limit: string;
  max: number;
  used: number;
}

export interface FleetSources {
  usage: UsageModel;
  /** The node directory placement reads (admin state, health, meetings, participants, CPU). */
  nodes(): DirectoryNode[];
  /** A node's load as placement compares it (loadModel.ts, reservations included). */
  loadOf(node: DirectoryNode): number;
  /** Per-tenant limits (the tenant's own, sub-id 0) and their use. */
  tenantLimits(): Iterable<TenantLimitReading>;
}

/** The node list is read once per scrape, however many families read it. */
function oncePerScrape<T>(read: () => T, ttlMs = 200): () => T {
  let at = -Infinity;
  let value: T;
  return () => {
    const now = performance.now();
    if (now - at > ttlMs) {
      value = read();
      at = now;
    }
    return value;
  };
}

/**
 * The usage families, computed at scrape time from counts the read models already keep: tenants and nodes
 * are walked once each, meetings never. Values of tenants or nodes that are gone disappear (reset first).
 */
export function registerFleetGauges(metrics: Metrics, sources: FleetSources): void {
  const registers = [metrics.registry];
  const nodes = oncePerScrape(() => sources.nodes().map((node) => ({ node, load: sources.loadOf(node), media: sources.usage.nodeMedia.get(node.id) })));
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void) =>
    new Gauge({ name: `${PREFIX}${name}`, help, labelNames, registers, collect() { this.reset(); fill(this); } });
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter) => void) =>
    new Counter({ name: `${PREFIX}${name}`, help, labelNames, registers, collect() { this.reset(); fill(this); } });

  const perTenant = (key: 'meetings' | 'participants' | 'voice' | 'video') => (g: Gauge) => {
    for (const [tenant, usage] of sources.usage.tenants) g.set({ tenant }, usage[key]);
  };
  gauge('tenant_meetings', 'Running meetings per tenant.', ['tenant'], perTenant('meetings'));
  gauge('tenant_participants', 'Participants per tenant: the last poll of each meeting plus the joins since.', ['tenant'], perTenant('participants'));
  gauge('tenant_voice_participants', 'Participants with voice per tenant, as the last polls reported.', ['tenant'], perTenant('voice'));
  gauge('tenant_video_participants', 'Participants sending video per tenant, as the last polls reported.', ['tenant'], perTenant('video'));
  gauge('tenant_limit', 'A tenant\'s configured limit, by tenant and limit.', ['tenant', 'limit'], (g) => {
    for (const r of sources.tenantLimits()) g.set({ tenant: r.tenant, limit: r.limit }, r.max);
  });
  gauge('tenant_limit_usage_ratio', 'How much of a tenant\'s limit is used (1 = at the limit).', ['tenant', 'limit'], (g) => {
    for (const r of sources.tenantLimits()) g.set({ tenant: r.tenant, limit: r.limit }, r.max > 0 ? r.used / r.max : 0);
  });

  const perNode = (value: (n: ReturnType<typeof nodes>[number]) => number | null) => (g: Gauge) => {
    for (const entry of nodes()) {
      const v = value(entry);
      if (v !== null) g.set({ node: entry.node.id }, v);
    }
  };
  gauge('node_meetings', 'Meetings placement counts on a node.', ['node'], perNode((e) => e.node.meetings));
  gauge('node_participants', 'Participants placement counts on a node: its last load report plus the joins sent since.', ['node'], perNode((e) => e.node.participants));
  gauge('node_voice_participants', 'Participants with voice on a node, as it last reported.', ['node'], perNode((e) => e.media?.voice ?? null));
  gauge('node_video_participants', 'Participants sending video on a node, as it last reported.', ['node'], perNode((e) => e.media?.video ?? null));
  gauge('node_breakout_meetings', 'Breakout rooms on a node, as it last reported.', ['node'], perNode((e) => e.node.breakoutMeetings));
  gauge('node_cpu_ratio', 'CPU busy share (0-1) from the node\'s load endpoint; absent without one.', ['node'], perNode((e) => e.node.cpu));
  gauge('node_memory_ratio', 'Memory in use (0-1) from the node agent; absent when not reported.', ['node'], perNode((e) => e.node.memory ?? null));
  gauge('node_load', 'A node\'s load as placement compares nodes (participant equivalents, LOAD_* weights, reservations included).', ['node'], perNode((e) => e.load));
  gauge('node_admin_state', 'A node\'s admin state: 1 for the state it is in, 0 for the others.', ['node', 'state'], (g) => {
    for (const { node } of nodes()) for (const state of NODE_ADMIN_STATES) g.set({ node: node.id, state }, node.adminState === state ? 1 : 0);
  });
  gauge('node_health', 'A node\'s health: 1 for the health it is in, 0 for the others (never polled reads offline).', ['node', 'health'], (g) => {
    for (const { node } of nodes()) for (const health of HEALTHS) g.set({ node: node.id, health }, node.health === health ? 1 : 0);
  });

  counter('placements_total', 'Meetings placed on a node (MeetingPlaced), counted from the log.', ['node'], (c) => {
    for (const [node, n] of sources.usage.placements) c.inc({ node }, n);
  });
  counter('placement_refusals_total', 'Creates no node took (MeetingCreateAbandoned), by reason, counted from the log.', ['reason'], (c) => {
    for (const [reason, n] of sources.usage.refusals) c.inc({ reason }, n);
  });
  counter('node_health_transitions_total', 'Health changes of a node (NodeHealthChanged), by node and the health it went to, counted from the log.', ['node', 'health'], (c) => {
    for (const [key, n] of sources.usage.healthTransitions) {
      const [node, health] = key.split('\n') as [string, string];
      c.inc({ node, health }, n);
    }
  });
  counter(
    'tenant_limit_hits_total',
    'Creates and joins that ran into a tenant limit (TenantLimitExceeded occurrences), by tenant, limit (meetings, attendees) and outcome (refused: hard limit, allowed: soft), counted from the log.',
    ['tenant', 'limit', 'outcome'],
    (c) => {
      for (const [key, n] of sources.usage.limitHits) {
        const [tenant, limit, outcome] = key.split('\n') as [string, string, string];
        c.inc({ tenant, limit, outcome }, n);
      }
    },
  );
}
