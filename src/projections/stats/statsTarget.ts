import type { Pool } from 'pg';
import type { Position } from '../../eventstore/port.js';
import { PostgresBatchCheckpointTarget } from '../targets/postgresBatchTarget.js';
import { foldStats } from './statsFold.js';
import { emptySnapshot, type StatsSnapshot } from './statsModel.js';
import { STATS_PROJECTION_NAME, type StatsOp } from './statsOps.js';
import { loadSnapshot, writeChanges } from './statsSql.js';

export interface StatsTargetOptions {
  /**
   * Keep the fold's state in memory from one batch to the next instead of loading it per batch: for a
   * rebuild, which starts on empty tables. It is used only while the stored checkpoint is the one this
   * target committed last; after anyone else's commit (or a failed one) it falls back to loading.
   */
  keepStateInMemory?: boolean;
}

/** The statistics read model in one generation schema: load what the batch touches, fold, write. */
export function statsTarget(pool: Pool, schema: string, options: StatsTargetOptions = {}): PostgresBatchCheckpointTarget<StatsOp> {
  let kept: { snapshot: StatsSnapshot; at: Position | undefined } | undefined;
  if (options.keepStateInMemory) kept = { snapshot: emptySnapshot(), at: undefined };
  return new PostgresBatchCheckpointTarget<StatsOp>(pool, schema, STATS_PROJECTION_NAME, async (client, ops, { stored, next }) => {
    const reuse = kept !== undefined && kept.at === stored;
    const snapshot = reuse && kept ? kept.snapshot : await loadSnapshot(client, schema, ops);
    // foldStats updates the snapshot in place: until this transaction commits, it is nobody's state.
    kept = undefined;
    await writeChanges(client, schema, foldStats(snapshot, ops));
    if (reuse) return () => (kept = { snapshot, at: next });
  });
}
