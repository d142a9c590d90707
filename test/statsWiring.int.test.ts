import t from 'tap';
import pg from 'pg';
import { compose } from '../src/compose.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logging.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './eventstore/postgresTestDb.js';
import { call, serve } from './support/httpHarness.js';
import { eventually } from './support/eventually.js';

t.test('STATS_SCHEMA / defaults to ledger_stats and is read from the environment', async (t) => {
  t.equal(loadConfig({}).statsSchema, 'ledger_stats');
  t.equal(loadConfig({ STATS_SCHEMA: 'acme_stats' }).statsSchema, 'acme_stats');
});

for (const value of ['Stats', 'stats-1', '1stats', 'x'.repeat(59), 'a;drop']) {
  t.test(`STATS_SCHEMA=${value} / stops the start naming the variable`, async (t) => {
    t.throws(() => loadConfig({ STATS_SCHEMA: value }), { name: ConfigError.name, message: /^STATS_SCHEMA: / });
  });
}

t.test('with DATABASE_URL / the statistics migrate at start, follow the log and show in /health', async (t) => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL });
  const base = uniqueSchema('wired').replace(/^es_/, 's_').slice(0, 40);
  t.teardown(async () => {
    for (const schema of [base, `${base}_g1`]) await dropSchema(pool, schema);
    await pool.end();
  });
  const config = loadConfig({ EVENTSTORE: 'memory', DATABASE_URL, STATS_SCHEMA: base, POLL_INTERVAL_MS: '60000' });
  const composed = await compose(config, silentLogger);
  await composed.start();
  t.teardown(() => composed.stop());
  const url = await serve(t, composed.requestListener);

  const { rows } = await pool.query<{ schema_name: string }>(`SELECT schema_name FROM "${base}".active_generation`);
  t.same(rows, [{ schema_name: `${base}_g1` }], 'the first generation exists and is active');
  let health = await call(url, '/health');
  await eventually('/health to finish catching up', async () => !JSON.stringify((health = await call(url, '/health')).body).includes('catching-up'));
  t.equal(health.status, 200);
  t.match(health.body, { status: 'ok' });
  const projections = (health.body?.projections ?? []) as Array<{ name: string; state: string }>;
  t.match(projections.find((p) => p.name === 'stats'), { state: 'live' }, 'stats is among the projections');
});
