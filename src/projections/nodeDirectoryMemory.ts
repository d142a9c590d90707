import type { NodeAdminState } from '../domain/node/events.js';
import type { NodeHealth } from '../domain/node/health.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import type { DirectoryNode, NodeDirectory, NodeDirectoryOp, NodeDirectoryRegistration } from './nodeDirectory.js';

interface Entry extends NodeDirectoryRegistration {
  adminState: NodeAdminState;
  health: NodeHealth;
  meetings: number;
  participants: number;
}

/** The node directory in this process; fed by a projection runner through `target`. */
export class InMemoryNodeDirectory implements NodeDirectory {
  private readonly nodes = new Map<string, Entry>();
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
          this.nodes.set(op.node.id, { ...op.node, tags: [...op.node.tags], adminState: 'enabled', health: 'unknown', meetings: 0, participants: 0 });
        }
        continue;
      }
      // A change for a node never registered cannot come from the node aggregate; ignore it.
      const entry = this.nodes.get(op.id);
      if (!entry) continue;
      if (op.op === 'setAdminState') entry.adminState = op.adminState;
      else entry.health = op.health;
    }
  }
}

function view(entry: Entry): DirectoryNode {
  return { ...entry, tags: [...entry.tags], health: entry.health === 'unknown' ? 'offline' : entry.health };
}
