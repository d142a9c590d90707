import type { MeetingCounts } from '../domain/meeting/events.js';
import type { Position } from '../eventstore/port.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import { byCreateTime, type MeetingListEntry, type MeetingListOp, type MeetingReadModel, type MeetingView } from './meetingList.js';

interface Stored {
  entry: MeetingListEntry;
  moderatorJoins: Set<Position>;
  viewerJoins: Set<Position>;
  counts: MeetingCounts | null;
}

/** Running meetings in this process (embedded mode, no Redis): rebuilt from the log at every start. */
export class InMemoryMeetingList implements MeetingReadModel {
  private readonly meetings = new Map<string, Stored>();
  readonly target = new MemoryCheckpointTarget<MeetingListOp>((ops) => this.apply(ops));

  async find(nodeMeetingID: string): Promise<MeetingView | undefined> {
    const stored = this.meetings.get(nodeMeetingID);
    return stored && view(stored);
  }

  async list(tenant: string, scope: string): Promise<MeetingView[]> {
    const wholeTenant = scope === tenant;
    return [...this.meetings.values()]
      .filter((m) => m.entry.tenant === tenant && (wholeTenant || m.entry.scope === scope))
      .map(view)
      .sort(byCreateTime);
  }

  apply(ops: MeetingListOp[]): void {
    for (const op of ops) {
      if (op.op === 'putRunning') {
        const entry = { ...op.entry, metadata: { ...op.entry.metadata } };
        this.meetings.set(entry.nodeMeetingID, { entry, moderatorJoins: new Set(), viewerJoins: new Set(), counts: null });
      } else if (op.op === 'join') {
        // A join trailing the end of its meeting has nothing left to count in.
        const stored = this.meetings.get(op.nodeMeetingID);
        (op.role === 'MODERATOR' ? stored?.moderatorJoins : stored?.viewerJoins)?.add(op.position);
      } else if (op.op === 'counts') {
        const stored = this.meetings.get(op.nodeMeetingID);
        if (!stored) continue;
        stored.counts = { ...op.counts };
        stored.moderatorJoins.clear();
        stored.viewerJoins.clear();
      } else {
        this.meetings.delete(op.nodeMeetingID);
      }
    }
  }
}

function view(stored: Stored): MeetingView {
  return { ...stored.entry, metadata: { ...stored.entry.metadata }, moderatorJoins: stored.moderatorJoins.size, viewerJoins: stored.viewerJoins.size, counts: stored.counts && { ...stored.counts } };
}
