import t, { type Test } from 'tap';
import Koa from 'koa';
import pg from 'pg';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore, Position } from '../../src/eventstore/port.js';
import { requireAdmin } from '../../src/http/adminAuth.js';
import { adminUsageRouter } from '../../src/http/adminUsage.js';
import { ping } from '../../src/http/ping.js';
import { problemDetails } from '../../src/http/problems.js';
import { silentLogger } from '../../src/logging.js';
import { meetingListProjection } from '../../src/projections/meetingList.js';
import { InMemoryMeetingList } from '../../src/projections/meetingListMemory.js';
import { startProjection } from '../../src/projections/runner.js';
import { StatsService } from '../../src/projections/stats/statsService.js';
import { UsageQueries } from '../../src/projections/stats/usageQueries.js';
import { tenantDirectoryProjection } from '../../src/projections/tenantDirectory.js';
import { InMemoryTenantDirectory } from '../../src/projections/tenantDirectoryMemory.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../eventstore/postgresTestDb.js';
import { writeAuditedMorning } from '../history/auditedLog.js';
import { ADMIN_SECRET, adminToken, call, serve } from '../support/httpHarness.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const pool = new pg.Pool({ connectionString: DATABASE_URL });
t.teardown(() => pool.end());

async function lastPosition(store: EventStore): Promise<Position> {
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
  throw new Error('empty log');
}

/** The audited morning in Postgres, its statistics, tenant directory and meeting list, behind the usage router. */
async function usageApi(t: Test, options: { statistics: boolean } = { statistics: true }) {
  const esSchema = uniqueSchema('usage_es');
  const base = uniqueSchema('usage').replace(/^es_/, 's_').slice(0, 40);
  const store = await PostgresEventStore.open({ pool, schema: esSchema, logger: silentLogger });
  const stats = new StatsService({ pool, store, logger: silentLogger, base, watchIntervalMs: 1000 });
  const controller = new AbortController();
  t.teardown(async () => {
    controller.abort();
    await stats.stop();
    await store.close();
    for (const schema of [esSchema, base, `${base}_g1`]) await dropSchema(pool, schema);
  });
  await writeAuditedMorning(store);
  const last = await lastPosition(store);
  const tenantDirectory = new InMemoryTenantDirectory();
  const meetings = new InMemoryMeetingList();
  const runners = [
    startProjection({ store, projection: tenantDirectoryProjection, target: tenantDirectory.target, logger: silentLogger, signal: controller.signal }),
    startProjection({ store, projection: meetingListProjection, target: meetings.target, logger: silentLogger, signal: controller.signal }),
  ];
  await Promise.all(runners.map((r) => r.waitFor(last)));
  if (options.statistics) {
    await stats.start();
    await stats.waitFor(last, { timeoutMs: 10_000 });
  }
  const app = new Koa();
  app.silent = true;
  const router = adminUsageRouter({ usage: options.statistics ? new UsageQueries(pool, base) : undefined, meetings, tenantDirectory, now: () => NOW });
  app.use(problemDetails(silentLogger));
  app.use(ping(store));
  app.use(requireAdmin(new TextEncoder().encode(ADMIN_SECRET)));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  const url = await serve(t, app);
  const token = await adminToken();
  return {
    get: (path: string) => call(url, path, { token }),
    raw: (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } }),
    url,
  };
}

const MORNING_TOTALS = {
  meetings: 2, meetingMinutes: 120, participantMinutes: 115,
  peakConcurrentMeetings: 2, peakConcurrentParticipants: 1, failedCreates: 0, abandonedCreates: 0,
};
const MORNING_USAGE = { tenant: 'acme', day: '2026-11-20', ...MORNING_TOTALS };

t.test('usage as JSON / a tenant\'s days in the range with totals, from the analyst view', async (t) => {
  const { get } = await usageApi(t);
  const { status, body } = await get('/admin/api/v1/usage?tenant=acme&from=2026-11-01&to=2026-11-30');
  t.equal(status, 200);
  t.same(body, { tenant: 'acme', from: '2026-11-01', to: '2026-11-30', days: [MORNING_USAGE], totals: MORNING_TOTALS });
  t.same((await get('/admin/api/v1/usage?from=2026-11-21&to=2026-11-30')).body?.days, [], 'no rows outside the range; every tenant without tenant=');
});

t.test('usage as CSV / the view\'s column names and one row per tenant day', async (t) => {
  const { raw } = await usageApi(t);
  const response = await raw('/admin/api/v1/usage?tenant=acme&from=2026-11-20&to=2026-11-20&format=csv');
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/csv/);
  t.match(response.headers.get('content-disposition'), /usage-acme-2026-11-20-2026-11-20\.csv/);
  t.equal(
    await response.text(),
    'tenant,day,meetings,meeting_minutes,participant_minutes,peak_concurrent_meetings,peak_concurrent_participants,failed_creates,abandoned_creates\r\n' +
      'acme,2026-11-20,2,120,115,2,1,0,0\r\n',
  );
});

t.test('usage / a bad parameter is a 400 naming it; an unknown tenant a 404', async (t) => {
  const { get } = await usageApi(t);
  const cases: Array<[string, string]> = [
    ['from=2026-13-01&to=2026-11-30', 'from'],
    ['to=2026-11-30', 'from'],
    ['from=2026-11-01&to=30.11.2026', 'to'],
    ['from=2026-11-10&to=2026-11-01', 'to'],
    ['from=2026-12-01&to=2026-12-31', 'from'],
    ['from=2026-11-01&to=2026-11-30&format=xml', 'format'],
    ['from=2026-11-01&to=2026-11-30&tenant=acme&tenant=globex', 'tenant'],
  ];
  for (const [query, field] of cases) t.match(await get(`/admin/api/v1/usage?${query}`), { status: 400, body: { field } }, query);
  t.match(await get('/admin/api/v1/usage?tenant=globex&from=2026-11-01&to=2026-11-30'), { status: 404 });
});

t.test('usage without DATABASE_URL / 503 saying what to configure', async (t) => {
  const { get } = await usageApi(t, { statistics: false });
  t.match(await get('/admin/api/v1/usage?from=2026-11-01&to=2026-11-30'), { status: 503, body: { code: 'STATISTICS_NOT_CONFIGURED', detail: /DATABASE_URL/ } });
});

t.test('B3LB-style stats / running meetings per tenant, by origin server name and origin', async (t) => {
  const { get } = await usageApi(t, { statistics: false });
  const expected = { acme: { 'moodle.example.org': { Moodle: [1, 0, 0, 0, 0, 0] } } };
  t.same((await get('/admin/api/v1/stats')).body, expected, 'chemistry runs; physics ended');
  t.same((await get('/admin/api/v1/stats/acme')).body, expected);
  t.match(await get('/admin/api/v1/stats/globex'), { status: 404 });
});

t.test('GET /ping / 200 while the event store answers, 503 when it does not, without a token', async (t) => {
  const { url } = await usageApi(t, { statistics: false });
  t.match(await call(url, '/ping'), { status: 200, body: { status: 'ok', eventStore: 'postgres' } });
  const brokenPool = new pg.Pool({ connectionString: DATABASE_URL });
  const broken = await PostgresEventStore.open({ pool: brokenPool, schema: uniqueSchema('ping'), logger: silentLogger });
  await brokenPool.end();
  t.teardown(() => broken.close());
  const app = new Koa();
  app.use(ping(broken));
  t.match(await call(await serve(t, app), '/ping'), { status: 503, body: { status: 'unavailable' } });
});
