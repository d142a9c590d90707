import type { JoinCounts, MeetingCounts } from '../domain/meeting/events.js';
import type { Position } from '../eventstore/port.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import { byCreateTime, meetingViewOf, type MeetingListEntry, type MeetingListOp, type MeetingReadModel, type MeetingView } from './meetingList.js';

interface Stored {
  entry: Readonly<MeetingListEntry>;
  /** MeetingJoined position → its counts (since the last poll's counts); null until the first (most meetings between polls have none). */
  joins: Map<Position, JoinCounts> | null;
  counts: Readonly<MeetingCounts> | null;
  /** When the last poll's counts were taken (ms): joins that happened before are in them. */
  countedAt: number;
  /** The view handed out until the meeting changes: shared and frozen, so getMeetings can cache by identity. */
  view: MeetingView | undefined;
}

/** Running meetings in this process (embedded mode, no Redis): rebuilt from the log at every start. */
export class InMemoryMeetingList implements MeetingReadModel {
  private readonly meetings = new Map<string, Stored>();
  /**
   * tenant → scope → its sorted list, frozen, until a meeting of the tenant changes: getMeetings of 1,000
   * meetings would otherwise filter and sort them on every request.
   */
  private readonly lists = new Map<string, Map<string, readonly MeetingView[]>>();
  /** tenant → its list version, moved on with every change of the tenant's meetings. */
  private readonly versions = new Map<string, number>();
  readonly target = new MemoryCheckpointTarget<MeetingListOp>((ops) => this.apply(ops));

  async find(nodeMeetingID: string): Promise<MeetingView | undefined> {
    const stored = this.meetings.get(nodeMeetingID);
    return stored && view(stored);
  }

  async list(tenant: string, scope: string): Promise<readonly MeetingView[]> {
    let byScope = this.lists.get(tenant);
    if (!byScope) this.lists.set(tenant, (byScope = new Map()));
    const known = byScope.get(scope);
    if (known) return known;
    const wholeTenant = scope === tenant;
    const listed = Object.freeze(
      [...this.meetings.values()]
        .filter((m) => m.entry.tenant === tenant && (wholeTenant || m.entry.scope === scope))
        .map(view)
        .sort(byCreateTime),
    );
    byScope.set(scope, listed);
    return listed;
  }

  listVersion(tenant: string): number {
    return this.versions.get(tenant) ?? 0;
  }

  apply(ops: MeetingListOp[]): void {
    for (const op of ops) {
      const tenant = op.op === 'putRunning' ? op.entry.tenant : op.op === 'remove' ? op.tenant : this.meetings.get(op.nodeMeetingID)?.entry.tenant;
      if (tenant !== undefined) {
        this.lists.delete(tenant);
        this.versions.set(tenant, this.listVersion(tenant) + 1);
      }
      if (op.op === 'putRunning') {
        // Frozen, so every view can share the entry's metadata instead of copying it per join and list.
        const entry = Object.freeze(entryOf(op.entry, Object.freeze({ ...op.entry.metadata })));
        this.meetings.set(entry.nodeMeetingID, { entry, joins: null, counts: null, countedAt: -Infinity, view: undefined });
      } else if (op.op === 'join') {
        // A join trailing the end of its meeting has nothing left to count in.
        const stored = this.meetings.get(op.nodeMeetingID);
        if (!stored || Date.parse(op.at) <= stored.countedAt) continue;
        (stored.joins ??= new Map()).set(op.position, { moderators: op.moderators, viewers: op.viewers });
        stored.view = undefined;
      } else if (op.op === 'counts') {
        const stored = this.meetings.get(op.nodeMeetingID);
        if (!stored) continue;
        stored.counts = Object.freeze(countsOf(op.counts));
        stored.countedAt = Date.parse(op.at);
        stored.joins = null;
        stored.view = undefined;
      } else {
        this.meetings.delete(op.nodeMeetingID);
      }
    }
  }
}

function view(stored: Stored): MeetingView {
  if (stored.view) return stored.view;
  let moderatorJoins = 0;
  let viewerJoins = 0;
  for (const joins of stored.joins?.values() ?? []) {
    moderatorJoins += joins.moderators;
    viewerJoins += joins.viewers;
  }
  stored.view = Object.freeze(meetingViewOf(stored.entry, moderatorJoins, viewerJoins, stored.counts));
  return stored.view;
}

/**
 * Written out field by field: in optimised code Node 20's V8 gives every `Object.freeze({ ...x })` copy a map
 * (hidden class) of its own, ~500 bytes per meeting; a literal shares one map across all of them.
 */
function entryOf(e: MeetingListEntry, metadata: Record<string, string>): MeetingListEntry {
  const { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW } = e;
  return { tenant, scope, meetingID, nodeId, nodeMeetingID, name, internalMeetingID, createTime, voiceBridge, dialNumber, attendeePW, moderatorPW, metadata };
}

function countsOf(c: MeetingCounts): MeetingCounts {
  return { participantCount: c.participantCount, moderatorCount: c.moderatorCount, listenerCount: c.listenerCount, voice: c.voice, video: c.video, running: c.running };
}
