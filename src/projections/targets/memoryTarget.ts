import type { Position } from '../../eventstore/port.js';
import { isAfter, type CheckpointTarget, type ProjectedBatch } from '../projection.js';

/**
 * An in-process read model with its checkpoint beside it. `apply` runs synchronously inside `commit`, so the
 * data and the checkpoint change together as far as any reader in this process can tell.
 */
export class MemoryCheckpointTarget<Op> implements CheckpointTarget<Op> {
  private checkpoint: Position | undefined;

  constructor(private readonly apply: (ops: Op[]) => void) {}

  async loadCheckpoint(): Promise<Position | undefined> {
    return this.checkpoint;
  }

  async commit(batch: ProjectedBatch<Op>): Promise<void> {
    if (!isAfter(batch.checkpoint, this.checkpoint)) return;
    const fresh = batch.entries.filter((e) => isAfter(e.position, this.checkpoint));
    this.apply(fresh.flatMap((e) => e.ops));
    this.checkpoint = batch.checkpoint;
  }
}
