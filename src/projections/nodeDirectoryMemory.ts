import { nodeFieldOf, type NodeStatus } from '../domain/node/nodeView.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import type { DirectoryNode, NodeDirectory, NodeDirectoryOp, NodeDirectoryRegistration } from './nodeDirectory.js';

interface Entry extends Omit<NodeDirectoryRegistration, 'maxLoad'>, NodeStatus {
  /** meeting stream → MeetingJoined position → its joins (since the last load report); null while it has none. */
  meetings: Map<string, Map<string, number> | null>;
  /** The sum of `meetings`' joins, kept as they change: every join and placement reads the node. */
  joined: number;
  /** From the last NodeLoadReported; undefined before the first. */
  reported: { participants: number; cpu: number | null; breakoutMeetings: number; memory: number | null } | undefined;
  /** When the last load report was taken (ms): joins that happened before are in it. */
  reportedAt: number;
}

/** The node directory in this process; fed by a projection runner through `target`. */
export class InMemoryNodeDirectory implements NodeDirectory {
  private readonly nodes = new Map<string, Entry>();
  /** meeting stream → node it runs on */
  private readonly meetingNode = new Map<string, string>();
  readonly target = new MemoryCheckpointTarget<NodeDirectoryOp>((ops) => this.apply(ops));

  /** Ordered by id, so every LB instance sees the same order. */
  nodesForPlacement(): DirectoryNode[] {
    return [...this.nodes.keys()].sort().map((id) => view(this.nodes.get(id)!));
  }

  get(id: string): DirectoryNode | undefined {
    const entry = this.nodes.get(id);
    return entry && view(entry);
  }

  apply(ops: NodeDirectoryOp[]): void {
    for (const op of ops) {
      if (op.op === 'register') {
        if (!this.nodes.has(op.node.id)) {
          this.nodes.set(op.node.id, { ...op.node, tags: [...op.node.tags], maxLoad: op.node.maxLoad ?? null, adminState: 'enabled', health: 'unknown', meetings: new Map(), joined: 0, reported: undefined, reportedAt: -Infinity });
        }
        continue;
      }
      if (op.op === 'meetingOn' || op.op === 'meetingOff') {
        this.moveMeeting(op.meeting, op.op === 'meetingOn' ? op.id : undefined);
        continue;
      }
      if (op.op === 'joined') {
        const nodeId = this.meetingNode.get(op.meeting);
        const node = nodeId === undefined ? undefined : this.nodes.get(nodeId);
        const joins = node?.meetings.get(op.meeting);
        if (!node || joins === undefined || Date.parse(op.at) <= node.reportedAt) continue;
        node.joined += op.count - (joins?.get(op.join) ?? 0);
        if (joins) joins.set(op.join, op.count);
        else node.meetings.set(op.meeting, new Map([[op.join, op.count]]));
        continue;
      }
      // A change for a node never registered cannot come from the node aggregate; ignore it.
      const entry = this.nodes.get(op.id);
      if (!entry) continue;
      if (op.op === 'load') {
        entry.reported = { participants: op.participants, cpu: op.cpu, breakoutMeetings: op.breakoutMeetings, memory: op.memory ?? null };
        entry.reportedAt = Date.parse(op.at);
        for (const meeting of entry.meetings.keys()) entry.meetings.set(meeting, null);
        entry.joined = 0;
      } else if (op.op === 'remove') this.nodes.delete(op.id);
      else Object.assign(entry, nodeFieldOf(op));
    }
  }

  /** Takes the meeting off the node it was on (with its joins) and puts it on `nodeId`, if any. */
  private moveMeeting(meeting: string, nodeId: string | undefined): void {
    const current = this.meetingNode.get(meeting);
    if (current === nodeId) return;
    const left = current === undefined ? undefined : this.nodes.get(current);
    const leftJoins = left?.meetings.get(meeting);
    if (left && leftJoins !== undefined) {
      for (const count of leftJoins?.values() ?? []) left.joined -= count;
      left.meetings.delete(meeting);
    }
    this.meetingNode.delete(meeting);
    const target = nodeId === undefined ? undefined : this.nodes.get(nodeId);
    if (!target || nodeId === undefined) return;
    // 10,000 running meetings would otherwise hold 10,000 empty maps between load reports.
    target.meetings.set(meeting, null);
    this.meetingNode.set(meeting, nodeId);
  }
}

/** Field by field: rest-spreading the entry was a visible share of every join's CPU. */
function view(entry: Entry): DirectoryNode {
  const { reported } = entry;
  return {
    id: entry.id,
    apiUrl: entry.apiUrl,
    secret: entry.secret,
    checksumAlgorithm: entry.checksumAlgorithm,
    adminState: entry.adminState,
    health: entry.health === 'unknown' ? 'offline' : entry.health,
    meetings: entry.meetings.size,
    participants: (reported?.participants ?? 0) + entry.joined,
    cpu: reported?.cpu ?? null,
    memory: reported?.memory ?? null,
    breakoutMeetings: reported?.breakoutMeetings ?? 0,
    loadFactor: entry.loadFactor,
    tags: [...entry.tags],
    maxLoad: entry.maxLoad ?? null,
  };
}
