import type { Position, RecordedEvent, SubscriptionFilter } from '../eventstore/port.js';

/** A read model's pure half: which events it wants, and what each one does to it. */
export interface ProjectionDefinition<Op> {
  /** Stable: the checkpoint is stored under it. */
  name: string;
  filter: SubscriptionFilter;
  /** Pure. Throws for an event it cannot understand; the runner then stops rather than skip it. */
  project(event: RecordedEvent): Op[];
}

export interface ProjectedEntry<Op> {
  position: Position;
  ops: Op[];
}

export interface ProjectedBatch<Op> {
  /** In global order; may be empty when only the checkpoint moves (filtered-out events were scanned). */
  entries: ProjectedEntry<Op>[];
  /** Everything up to here has been scanned; ≥ every entry's position. */
  checkpoint: Position;
  /**
   * The checkpoint this runner loaded or last committed. A shared target that finds its stored checkpoint
   * gone or behind it has lost data (keys deleted, Redis flushed or replaced) and refuses the batch.
   */
  after?: Position;
}

/**
 * Where a read model lives, together with its checkpoint. `commit` is atomic: it applies the ops of the
 * entries after the stored checkpoint and moves the checkpoint, or does nothing. Entries at or before the
 * stored checkpoint are skipped, so a second runner or a replay after a crash never applies an event twice.
 */
export interface CheckpointTarget<Op> {
  loadCheckpoint(): Promise<Position | undefined>;
  commit(batch: ProjectedBatch<Op>): Promise<void>;
}

/** Positions of one store compare as plain strings; an absent checkpoint is before everything. */
export function isAfter(position: Position, checkpoint: Position | undefined): boolean {
  return checkpoint === undefined || position > checkpoint;
}

/**
 * A shared read model's checkpoint vanished or went backwards under a runner (its keys were deleted, Redis
 * was flushed or restarted empty, or it is another Redis), or the model was built from another log (`why`).
 * Not retried: the model is rebuilt from the log.
 */
export class ReadModelLostError extends Error {
  readonly code = 'READ_MODEL_LOST';
  /** Why the model is lost, as /health's `degradedBy` says it. */
  readonly why: string;
  constructor(checkpointKey: string, expected: Position | undefined, anotherLog?: string) {
    super(anotherLog ? `${checkpointKey}: ${anotherLog}: the read model is rebuilt from the log` : `${checkpointKey} is gone or behind ${expected ?? 'the start'}: the read model was lost and is rebuilt from the log`);
    this.name = new.target.name;
    this.why = anotherLog ?? 'its checkpoint vanished or went backwards under a commit';
  }
}
