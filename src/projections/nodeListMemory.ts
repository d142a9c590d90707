import { withNodeField } from '../domain/node/nodeView.js';
import { MemoryCheckpointTarget } from './targets/memoryTarget.js';
import { byRegistration, type NodeListEntry, type NodeListOp, type NodeListReadModel } from './nodeList.js';

/** The node list in this process (embedded mode, no Redis): rebuilt from the log at every start. */
export class InMemoryNodeList implements NodeListReadModel {
  private readonly nodes = new Map<string, NodeListEntry>();
  readonly target = new MemoryCheckpointTarget<NodeListOp>((ops) => this.apply(ops));

  async list(): Promise<NodeListEntry[]> {
    return [...this.nodes.values()].map(copy).sort(byRegistration);
  }

  async get(id: string): Promise<NodeListEntry | undefined> {
    const entry = this.nodes.get(id);
    return entry && copy(entry);
  }

  apply(ops: NodeListOp[]): void {
    for (const op of ops) {
      if (op.op === 'put') {
        this.nodes.set(op.entry.id, copy(op.entry));
        continue;
      }
      // A change for a node never registered cannot come from the node aggregate; ignore it.
      const entry = this.nodes.get(op.id);
      if (!entry) continue;
      if (op.op === 'setLoad') this.nodes.set(op.id, { ...entry, meetings: op.meetings, participants: op.participants });
      else if (op.op === 'remove') this.nodes.delete(op.id);
      else this.nodes.set(op.id, withNodeField(entry, op));
    }
  }
}

const copy = (entry: NodeListEntry): NodeListEntry => ({ ...entry, tags: [...entry.tags] });
