import { dayOf, splitByDay } from './days.js';
import {
  bumpConcurrency,
  meetingOf,
  type MeetingStreamRow,
  type NodeDayDelta,
  type NodeRow,
  type StatsChanges,
  type StatsSnapshot,
  type TenantDayDelta,
} from './statsModel.js';
import type { ParticipantChange, StatsOp } from './statsOps.js';

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();
/** What toISOString writes: such a string is its own iso(ms(s)), so a fold can keep it instead of formatting again. */
/** Joins kept to be added back to a count taken before them; polls normally drain them within one interval. */
const MAX_UNCOUNTED_JOINS = 64;
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Pure: folds one batch of ops, in log order, over the snapshot of the keys they touch, and says which rows
 * to write. The snapshot is updated in place, so several batches can share one (as a rebuild does); a running
 * meeting's row is changed in place too (a rebuild folds one op per event, and a copy per op was most of its
 * cost), so rows handed out in `changes` are the snapshot's own until the next fold.
 */
export function foldStats(snapshot: StatsSnapshot, ops: readonly StatsOp[]): StatsChanges {
  const fold = new Fold(snapshot);
  for (const op of ops) fold.apply(op);
  return fold.finish();
}

class Fold {
  readonly changes: StatsChanges = {
    streams: new Map(),
    meetings: new Map(),
    nodes: new Map(),
    tenants: new Map(),
    healthIntervals: new Map(),
    tenantDays: new Map(),
    nodeDays: new Map(),
  };

  /** Running meetings changed in this batch: their `meetings` rows are made once, at the end. */
  private readonly touchedRunning = new Set<MeetingStreamRow>();
  /** tenant → day → delta (and node → day → delta): looked up by the strings at hand, no key built per op. */
  private readonly tenantDayIndex = new Map<string, Map<string, TenantDayDelta>>();
  private readonly nodeDayIndex = new Map<string, Map<string, NodeDayDelta>>();

  constructor(private readonly s: StatsSnapshot) {}

  finish(): StatsChanges {
    for (const row of this.touchedRunning) if (row.running) this.changes.meetings.set(`${row.stream}|${row.incarnation}`, meetingOf(row));
    return this.changes;
  }

  apply(op: StatsOp): void {
    switch (op.op) {
      case 'tenantRegistered':
        this.changes.tenants.set(op.tenant, { tenant: op.tenant, registeredAt: op.at });
        return;
      case 'nodeRegistered':
        this.putNode({ nodeId: op.nodeId, url: op.url, registeredAt: op.at, adminState: 'enabled', health: 'unknown', healthSince: null, healthReason: null, healthDetail: null });
        return;
      case 'nodeAdminState':
        return this.nodeAdminState(op.nodeId, op.adminState, op.at);
      case 'nodeHealth':
        return this.nodeHealth(op.nodeId, op.health, op.reason, op.detail, op.at);
      case 'meetingPlaced':
        return this.meetingPlaced(op.stream, op.recorded);
      case 'meetingStarted':
        return this.meetingStarted(op);
      case 'participants':
        return this.participants(op.stream, op.change, op.at);
      case 'meetingMoved':
        return this.meetingMoved(op.stream, op.nodeId, op.at);
      case 'meetingEnded':
        return this.meetingEnded(op.stream, op.reason, op.at);
      case 'createFailed':
        this.nodeDay(op.nodeId, dayOf(ms(op.at))).failures += 1;
        this.tenantDay(op.tenant, dayOf(ms(op.at))).failedCreates += 1;
        return;
      case 'createAbandoned':
        this.tenantDay(op.tenant, dayOf(ms(op.at))).abandonedCreates += 1;
        return;
      default: {
        const unhandled: never = op;
        throw new Error(`unknown stats op ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private putNode(node: NodeRow): void {
    this.s.nodes.set(node.nodeId, node);
    this.changes.nodes.set(node.nodeId, node);
  }

  private nodeAdminState(nodeId: string, adminState: string, at: string): void {
    const node = this.s.nodes.get(nodeId);
    if (!node) return;
    // Decommissioned nodes are no longer probed: their last health interval ends here.
    if (adminState === 'decommissioned') this.closeHealth(node, at);
    this.putNode({ ...node, adminState, ...(adminState === 'decommissioned' ? { health: 'unknown', healthSince: null, healthReason: null, healthDetail: null } : {}) });
  }

  private nodeHealth(nodeId: string, health: string, reason: string, detail: string, at: string): void {
    const node = this.s.nodes.get(nodeId);
    if (!node) return;
    this.closeHealth(node, at);
    this.changes.healthIntervals.set(`${nodeId}|${at}`, { nodeId, health, reason, detail, startedAt: at, endedAt: null });
    this.putNode({ ...node, health, healthSince: at, healthReason: reason, healthDetail: detail });
  }

  private closeHealth(node: NodeRow, at: string): void {
    if (node.healthSince === null) return;
    const { nodeId, health, healthSince } = node;
    this.changes.healthIntervals.set(`${nodeId}|${healthSince}`, {
      nodeId,
      health,
      reason: node.healthReason ?? '',
      detail: node.healthDetail ?? '',
      startedAt: healthSince,
      endedAt: at,
    });
    for (const { day, ms: span } of splitByDay(ms(healthSince), ms(at))) {
      const d = this.nodeDay(nodeId, day);
      if (health === 'available') d.availableMs += span;
      else if (health === 'unstable') d.unstableMs += span;
      else if (health === 'offline') d.offlineMs += span;
    }
  }

  private meetingPlaced(stream: string, recorded: boolean): void {
    const current = this.s.streams.get(stream);
    // A placement while running belongs to no new meeting (decide refuses it); keep the running one as is.
    if (current?.running) return;
    const base: MeetingStreamRow = current ?? {
      stream, incarnation: 0, running: false, recorded, tenant: '', scope: '', meetingID: '', nodeId: '', name: '',
      startedAt: '', participants: 0, participantsSince: '', peakParticipants: 0, joins: 0, participantMs: 0,
    };
    this.putStream({ ...base, recorded });
  }

  private meetingStarted(op: Extract<StatsOp, { op: 'meetingStarted' }>): void {
    const current = this.s.streams.get(op.stream);
    // The same incarnation answered twice (a create retried after a timeout): still one meeting.
    if (current?.running) return;
    const row: MeetingStreamRow = {
      stream: op.stream, incarnation: (current?.incarnation ?? 0) + 1, running: true, recorded: current?.recorded ?? false,
      tenant: op.tenant, scope: op.scope, meetingID: op.meetingID, nodeId: op.nodeId, name: op.name,
      startedAt: op.at, nodeSince: op.at, participants: 0, participantsSince: op.at, peakParticipants: 0, joins: 0, participantMs: 0,
    };
    this.putStream(row);
    const day = dayOf(ms(op.at));
    const tenantNow = bumpConcurrency(this.s.tenantsNow, row.tenant, 1, 0);
    const nodeNow = bumpConcurrency(this.s.nodesNow, row.nodeId, 1, 0);
    const td = this.tenantDay(row.tenant, day);
    td.meetings += 1;
    td.peakMeetings = Math.max(td.peakMeetings, tenantNow.meetings);
    const nd = this.nodeDay(row.nodeId, day);
    nd.meetings += 1;
    nd.peakMeetings = Math.max(nd.peakMeetings, nodeNow.meetings);
  }

  private participants(stream: string, change: ParticipantChange, at: string): void {
    const row = this.s.streams.get(stream);
    // Joins are appended without reading the stream, so one may trail the end: it counts for nothing.
    if (!row?.running) return;
    const atMs = ms(at);
    const next = change.kind === 'delta' ? this.joined(row, change.by, atMs, at) : this.counted(row, change.count, atMs, at);
    if (next === undefined) return this.putStream(row);
    this.accrue(row, atMs, at);
    const delta = next - row.participants;
    row.participants = next;
    row.peakParticipants = Math.max(row.peakParticipants, next);
    this.putStream(row);
    const day = dayOf(atMs);
    const tenantNow = bumpConcurrency(this.s.tenantsNow, row.tenant, 0, delta);
    const nodeNow = bumpConcurrency(this.s.nodesNow, row.nodeId, 0, delta);
    const td = this.tenantDay(row.tenant, day);
    td.peakParticipants = Math.max(td.peakParticipants, tenantNow.participants);
    const nd = this.nodeDay(row.nodeId, day);
    nd.peakParticipants = Math.max(nd.peakParticipants, nodeNow.participants);
  }

  /**
   * Joins that happened at `atMs`: the new figure, or undefined when a count taken after them (appended
   * before them: joins wait for their window) has them already. Joins appended after a later change are
   * still owed the participant time between them and that change.
   */
  private joined(row: MeetingStreamRow, by: number, atMs: number, at: string): number | undefined {
    row.joins += by;
    if (row.countedAt !== undefined && atMs <= ms(row.countedAt)) return undefined;
    const uncounted = (row.uncounted ??= []);
    uncounted.push([at, by]);
    if (uncounted.length > MAX_UNCOUNTED_JOINS) uncounted.shift();
    this.accrueLate(row, by, atMs);
    return Math.max(0, row.participants + by);
  }

  /** A poll's absolute count taken at `atMs`: it replaces the figure, plus the joins folded that happened after it. */
  private counted(row: MeetingStreamRow, count: number, atMs: number, at: string): number | undefined {
    // An older count than one already folded says nothing new.
    if (row.countedAt !== undefined && atMs < ms(row.countedAt)) return undefined;
    const later = (row.uncounted ?? []).filter(([t]) => ms(t) > atMs);
    row.countedAt = at;
    if (later.length > 0) row.uncounted = later;
    else delete row.uncounted;
    return later.reduce((sum, [, by]) => sum + by, count);
  }

  /** `by` participants from `fromMs` until the figure last changed: time the fold did not know of then. */
  private accrueLate(row: MeetingStreamRow, by: number, fromMs: number): void {
    const since = ms(row.participantsSince);
    if (fromMs >= since) return;
    for (const { day, ms: span } of splitByDay(Math.max(fromMs, ms(row.startedAt)), since)) {
      const amount = span * by;
      row.participantMs += amount;
      this.tenantDay(row.tenant, day).participantMs += amount;
      this.nodeDay(row.nodeId, day).participantMs += amount;
    }
  }

  /** The same meeting goes on on another node: the old node's meeting and participant time end here. */
  private meetingMoved(stream: string, nodeId: string, at: string): void {
    const row = this.s.streams.get(stream);
    // Already on that node: this move was folded before.
    if (!row?.running || row.nodeId === nodeId) return;
    this.accrue(row, ms(at), at);
    const moveMs = this.addNodeMeetingTime(row, at);
    bumpConcurrency(this.s.nodesNow, row.nodeId, -1, -row.participants);
    const nodeNow = bumpConcurrency(this.s.nodesNow, nodeId, 1, row.participants);
    row.nodeId = nodeId;
    row.nodeSince = iso(moveMs);
    this.putStream(row);
    // A meeting begins on its new node: counted in that node's day like one started there, not in the tenant's.
    const nd = this.nodeDay(nodeId, dayOf(moveMs));
    nd.meetings += 1;
    nd.peakMeetings = Math.max(nd.peakMeetings, nodeNow.meetings);
    nd.peakParticipants = Math.max(nd.peakParticipants, nodeNow.participants);
  }

  private meetingEnded(stream: string, reason: string, at: string): void {
    const row = this.s.streams.get(stream);
    if (!row?.running) return;
    this.accrue(row, ms(at), at);
    const endMs = Math.max(ms(at), ms(row.startedAt));
    for (const { day, ms: span } of splitByDay(ms(row.startedAt), endMs)) this.tenantDay(row.tenant, day).meetingMs += span;
    this.addNodeMeetingTime(row, iso(endMs));
    bumpConcurrency(this.s.tenantsNow, row.tenant, -1, -row.participants);
    bumpConcurrency(this.s.nodesNow, row.nodeId, -1, -row.participants);
    this.changes.meetings.set(`${stream}|${row.incarnation}`, { ...meetingOf(row), endedAt: iso(endMs), durationMs: endMs - ms(row.startedAt), endReason: reason });
    row.running = false;
    row.participants = 0;
    delete row.countedAt;
    delete row.uncounted;
    row.participantsSince = iso(endMs);
    row.recorded = false;
    this.changes.streams.set(stream, row);
  }

  /** Meeting time on the current node, from its arrival there until `at` (returned as ms, never before arrival). */
  private addNodeMeetingTime(row: MeetingStreamRow, at: string): number {
    const since = ms(row.nodeSince ?? row.startedAt);
    const until = Math.max(ms(at), since);
    for (const { day, ms: span } of splitByDay(since, until)) this.nodeDay(row.nodeId, day).meetingMs += span;
    return until;
  }

  /** Participant time since the last change goes to the meeting (in place), its tenant's days and its node's days. */
  private accrue(row: MeetingStreamRow, atMs: number, at: string): void {
    const from = ms(row.participantsSince);
    const to = Math.max(from, atMs);
    let added = 0;
    if (row.participants > 0) {
      for (const { day, ms: span } of splitByDay(from, to)) {
        const amount = span * row.participants;
        added += amount;
        this.tenantDay(row.tenant, day).participantMs += amount;
        this.nodeDay(row.nodeId, day).participantMs += amount;
      }
    }
    row.participantMs += added;
    if (to !== from) row.participantsSince = to === atMs && CANONICAL.test(at) ? at : iso(to);
  }

  private putStream(row: MeetingStreamRow): void {
    this.s.streams.set(row.stream, row);
    this.changes.streams.set(row.stream, row);
    if (row.running) this.touchedRunning.add(row);
  }

  private tenantDay(tenant: string, day: string): TenantDayDelta {
    const days = indexed(this.tenantDayIndex, tenant);
    let d = days.get(day);
    if (!d) {
      d = { tenant, day, meetings: 0, meetingMs: 0, participantMs: 0, peakMeetings: 0, peakParticipants: 0, failedCreates: 0, abandonedCreates: 0 };
      days.set(day, d);
      this.changes.tenantDays.set(`${tenant}|${day}`, d);
    }
    return d;
  }

  private nodeDay(nodeId: string, day: string): NodeDayDelta {
    const days = indexed(this.nodeDayIndex, nodeId);
    let d = days.get(day);
    if (!d) {
      d = { nodeId, day, meetings: 0, meetingMs: 0, participantMs: 0, peakMeetings: 0, peakParticipants: 0, failures: 0, availableMs: 0, unstableMs: 0, offlineMs: 0 };
      days.set(day, d);
      this.changes.nodeDays.set(`${nodeId}|${day}`, d);
    }
    return d;
  }
}

function indexed<V>(index: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = index.get(key);
  if (!inner) {
    inner = new Map();
    index.set(key, inner);
  }
  return inner;
}
