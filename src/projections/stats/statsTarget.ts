import type { Pool } from 'pg';
import { PostgresBatchCheckpointTarget } from '../targets/postgresBatchTarget.js';
import { foldStats } from './statsFold.js';
import { STATS_PROJECTION_NAME, type StatsOp } from './statsOps.js';
import { loadSnapshot, writeChanges } from './statsSql.js';

/** The statistics read model in one generation schema: load what the batch touches, fold, write. */
export function statsTarget(pool: Pool, schema: string): PostgresBatchCheckpointTarget<StatsOp> {
  return new PostgresBatchCheckpointTarget<StatsOp>(pool, schema, STATS_PROJECTION_NAME, async (client, ops) => {
    const snapshot = await loadSnapshot(client, schema, ops);
    await writeChanges(client, schema, foldStats(snapshot, ops));
  });
}
