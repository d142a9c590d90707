import t, { type Test } from 'tap';
import Koa from 'koa';
import pg from 'pg';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { requireAdmin } from '../../src/http/adminAuth.js';
import { adminHistoryRouter } from '../../src/http/adminHistory.js';
import { problemDetails } from '../../src/http/problems.js';
import { silentLogger } from '../../src/logging.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../eventstore/postgresTestDb.js';
import { ADMIN_SECRET, adminToken, call, serve } from '../support/httpHarness.js';
import { at, M1, M2, writeAuditedMorning } from './auditedLog.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

async function historyApi(t: Test, store: EventStore) {
  await writeAuditedMorning(store);
  const app = new Koa();
  app.silent = true;
  const history = adminHistoryRouter({ store, now: () => NOW });
  app.use(problemDetails(silentLogger));
  app.use(requireAdmin(new TextEncoder().encode(ADMIN_SECRET)));
  app.use(history.routes());
  app.use(history.allowedMethods({ throw: true }));
  const base = await serve(t, app);
  const token = await adminToken();
  return (path: string, withToken = true) => call(base, path, withToken ? { token } : {});
}

const stores: Array<[string, (t: Test) => Promise<EventStore>]> = [
  ['memory', async () => new MemoryEventStore()],
  [
    'postgres',
    async (t) => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL });
      const schema = uniqueSchema('history');
      const store = await PostgresEventStore.open({ pool, schema, logger: silentLogger });
      t.teardown(async () => {
        await store.close();
        await dropSchema(pool, schema);
        await pool.end();
      });
      return store;
    },
  ],
];

for (const [kind, open] of stores) {
  t.test(`${kind} store / a stream's history lists its events in order with actor, correlation and causation, secrets redacted`, async (t) => {
    const get = await historyApi(t, await open(t));
    const { status, body } = await get('/admin/api/v1/history/node-n1');
    t.equal(status, 200);
    t.match(body, {
      streamId: 'node-n1',
      next: null,
      events: [
        { type: 'NodeRegistered', revision: 0, actor: 'admin:alice', at: at('09:01'), data: { nodeId: 'n1', secret: '[redacted]' } },
        { type: 'NodeHealthChanged', revision: 1, actor: 'saga:nodeHealth' },
        { type: 'NodeCordoned', revision: 2, actor: 'admin:bob', correlationId: 'req-cordon', causationId: 'req-cordon', data: { nodeId: 'n1' } },
      ],
    });
    t.notOk(JSON.stringify(body).includes('node-very-secret'), 'the node secret never leaves');
    const events = (body as { events: Array<{ position: string }> }).events;
    t.ok(events[0]!.position < events[2]!.position, 'positions grow');

    const page = await get('/admin/api/v1/history/node-n1?from=1&limit=1');
    t.match(page.body, { events: [{ revision: 1 }], next: 2 });
    t.notOk(JSON.stringify((await get('/admin/api/v1/history/tenant-acme')).body).includes('acme-very-secret'), 'tenant secrets too');
  });

  t.test(`${kind} store / history refuses bad paging and unknown streams`, async (t) => {
    const get = await historyApi(t, await open(t));
    t.match(await get('/admin/api/v1/history/node-n9'), { status: 404, body: { code: 'NOT_FOUND' } });
    t.match(await get('/admin/api/v1/history/node-n1?limit=0'), { status: 400, body: { field: 'limit' } });
    t.match(await get('/admin/api/v1/history/node-n1?from=first'), { status: 400, body: { field: 'from' } });
    t.match(await get('/admin/api/v1/history/node-n1', false), { status: 401 });
  });

  t.test(`${kind} store / as of an instant, a stream folds only the events decided by then`, async (t) => {
    const get = await historyApi(t, await open(t));
    const before = await get(`/admin/api/v1/asof?at=${at('10:30')}&stream=node-n1`);
    t.match(before, { status: 200, body: { aggregate: 'node', revision: 1, events: 2, state: { status: 'registered', adminState: 'enabled', health: 'available', secret: '[redacted]' } } });
    t.match((await get(`/admin/api/v1/asof?at=${at('11:00')}&stream=node-n1`)).body, { revision: 2, state: { adminState: 'cordoned' } });
    t.match((await get(`/admin/api/v1/asof?at=${at('08:00')}&stream=node-n1`)).body, { revision: null, events: 0, state: { status: 'unregistered' } });
    t.match((await get(`/admin/api/v1/asof?at=${encodeURIComponent('2026-11-20T11:10:00+01:00')}&stream=${M1}`)).body, {
      aggregate: 'meeting',
      state: { status: 'running', nodeId: 'n1', joins: { moderators: 1, viewers: 0 } },
    });
    t.match((await get(`/admin/api/v1/asof?at=${at('12:30')}&stream=${M1}`)).body, { state: { status: 'idle', incarnations: 1 } });
  });

  t.test(`${kind} store / as of the fleet, every node's state and its running meetings`, async (t) => {
    const get = await historyApi(t, await open(t));
    const { status, body } = await get(`/admin/api/v1/asof/fleet?at=${at('11:45')}`);
    t.equal(status, 200);
    t.match(body, {
      asOf: at('11:45'),
      tenants: ['acme'],
      nodes: [
        { nodeId: 'n1', adminState: 'cordoned', health: 'available', meetings: [{ streamId: M1, meetingID: 'physics', status: 'running', joins: 1 }] },
        { nodeId: 'n2', adminState: 'enabled', meetings: [{ streamId: M2, meetingID: 'chemistry' }] },
      ],
    });
    t.same((await get(`/admin/api/v1/asof/fleet?at=${at('12:00')}`)).body?.nodes, [
      { nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', tags: [], loadFactor: 1, adminState: 'cordoned', health: 'available', meetings: [] },
      { nodeId: 'n2', url: 'https://n2.example.com/bigbluebutton/api/', tags: [], loadFactor: 1, adminState: 'enabled', health: 'available', meetings: [{ streamId: M2, tenant: 'acme', scope: 'acme', meetingID: 'chemistry', status: 'running', joins: 0 }] },
    ]);
  });

  t.test(`${kind} store / why a meeting landed on its node: the placement and the fleet just before it`, async (t) => {
    const get = await historyApi(t, await open(t));
    const { status, body } = await get('/admin/api/v1/meetings/acme/chemistry/why');
    t.equal(status, 200);
    t.match(body, {
      streamId: M2,
      placement: { type: 'MeetingPlaced', actor: 'tenant:acme', correlationId: 'req-create-chemistry', at: at('11:30'), data: { nodeId: 'n2' } },
      fleetBefore: { nodes: [{ nodeId: 'n1', adminState: 'cordoned', meetings: [{ meetingID: 'physics' }] }, { nodeId: 'n2', adminState: 'enabled', meetings: [] }] },
    });
    t.match(await get('/admin/api/v1/meetings/acme/biology/why'), { status: 404 });
  });

  t.test(`${kind} store / a malformed or future instant, or a missing stream, is a 400 naming the parameter`, async (t) => {
    const get = await historyApi(t, await open(t));
    for (const bad of ['yesterday', '2026-11-20', '2026-02-30T10:00:00Z', '2026-11-20T25:00:00Z', '2026-11-20T10:00:00', '']) {
      const answer = await get(`/admin/api/v1/asof/fleet?at=${encodeURIComponent(bad)}`);
      t.match(answer, { status: 400, body: { code: 'VALIDATION_FAILED', field: 'at', detail: /\bat\b/ } }, `at=${bad}`);
    }
    t.match(await get('/admin/api/v1/asof/fleet?at=2026-11-24T00:00:00Z'), { status: 400, body: { field: 'at', detail: /future/ } });
    t.match(await get(`/admin/api/v1/asof?at=${at('10:00')}&stream=node-n1&at=${at('11:00')}`), { status: 400, body: { field: 'at' } });
    t.match(await get(`/admin/api/v1/asof?at=${at('10:00')}`), { status: 400, body: { field: 'stream' } });
    t.match(await get(`/admin/api/v1/asof?at=${at('10:00')}&stream=recording-r1`), { status: 400, body: { field: 'stream' } });
    t.match(await get(`/admin/api/v1/asof?at=${at('10:00')}&stream=node-n9`), { status: 404 });
  });
}
