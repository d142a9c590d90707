import t from 'tap';
import pg from 'pg';
import { grantAnalystCommand } from '../../src/cli/grantAnalystCommand.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../eventstore/postgresTestDb.js';

const pool = new pg.Pool({ connectionString: DATABASE_URL });
const base = uniqueSchema('analyst').replace(/^es_/, 's_').slice(0, 40);
const role = `${base}_ro`;
const login = `${base}_login`;

t.teardown(async () => {
  for (const r of [role, login]) {
    // DROP OWNED revokes the grants, so the role can go.
    await pool.query(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r}') THEN EXECUTE 'DROP OWNED BY "${r}"'; EXECUTE 'DROP ROLE "${r}"'; END IF; END $$`);
  }
  for (const schema of [base, `${base}_g1`]) await dropSchema(pool, schema);
  await pool.end();
});

t.test('grant-analyst <role> / the role reads the analyst views and nothing else, and applying it twice is harmless', async (t) => {
  let out = '';
  let err = '';
  const write = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
  await pool.query(`CREATE ROLE "${login}" LOGIN`);
  t.equal(await grantAnalystCommand([role, '--member', login], pool, base, write.out, write.err), 0, err);
  t.equal(await grantAnalystCommand([role], pool, base, write.out, write.err), 0, 'idempotent');
  t.match(out, new RegExp(`role ${role}: SELECT on ${base}\\.meetings`));

  const client = await pool.connect();
  try {
    await client.query(`SET ROLE "${login}"`);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${base}".tenant_daily_usage`);
    t.same(rows, [{ n: 0 }], 'a member of the role reads the views');
    await t.rejects(client.query(`SELECT * FROM "${base}_g1".tenant_days`), /permission denied/, 'but not the tables behind them');
    await t.rejects(client.query(`DELETE FROM "${base}".meetings`), /permission denied/, 'and cannot write');
    await t.rejects(client.query(`SELECT * FROM "${base}".active_generation`), /permission denied/, 'nor the control table');
  } finally {
    await client.query('RESET ROLE');
    client.release();
  }
  const { rows: canLogin } = await pool.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
  t.same(canLogin, [{ rolcanlogin: false }], 'the role itself cannot log in');
});

t.test('grant-analyst / refuses a role name that is not a plain SQL name', async (t) => {
  let err = '';
  t.equal(await grantAnalystCommand(['Robert"); DROP TABLE x; --'], pool, base, () => {}, (s) => void (err += s)), 2);
  t.match(err, /role .* must match/);
  t.equal(await grantAnalystCommand([], pool, base, () => {}, () => {}), 2);
});
