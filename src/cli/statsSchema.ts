import { checkSqlName } from '../postgres/sqlNames.js';

/** `STATS_SCHEMA`: the control schema of the statistics (views, active generation). Default `ledger_stats`. */
export function statsSchemaOf(env: Record<string, string | undefined> = process.env): string {
  return checkSqlName(env.STATS_SCHEMA?.trim() || 'ledger_stats', 'STATS_SCHEMA');
}
