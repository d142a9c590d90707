import { parseArgs } from 'node:util';
import type pg from 'pg';
import { checkSqlName, quoteIdent } from '../postgres/sqlNames.js';
import { analystRoleDdl, ANALYST_VIEWS } from '../projections/stats/analystViews.js';
import { prepareStats } from '../projections/stats/statsGenerations.js';
import type { Write } from './historyCommands.js';

/**
 * `grant-analyst <role> [--member <login user>]`: the read-only analyst role (NOLOGIN; SELECT on the views of
 * the control schema, nothing else), created if missing, optionally granted to a login user. Idempotent.
 */
export async function grantAnalystCommand(argv: string[], pool: pg.Pool, base: string, out: Write, err: Write): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { member: { type: 'string' } } });
  const [role] = positionals;
  if (!role || positionals.length > 1) {
    err('usage: npm run ledger -- grant-analyst <role> [--member <login user>]\n');
    return 2;
  }
  try {
    checkSqlName(role, 'role');
    if (values.member !== undefined) checkSqlName(values.member, '--member');
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  // The views must exist before they can be granted: the same migrations the service applies at start.
  await prepareStats(pool, base);
  await pool.query(analystRoleDdl(base, role));
  if (values.member !== undefined) await pool.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(values.member)}`);
  out(`role ${role}: SELECT on ${ANALYST_VIEWS.map((v) => `${base}.${v}`).join(', ')}${values.member ? `; granted to ${values.member}` : ''}\n`);
  return 0;
}
