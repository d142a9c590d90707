/**
 * Drill: the product in its production shape (PostgreSQL events, Redis read models) against a private
 * PostgreSQL that is frozen (SIGSTOP: connections open, nothing answers) and then cleanly stopped (refusing),
 * each for a bounded time. Every BBB answer arrives within the store deadline and says FAILED, /health and
 * /ping say unavailable, each outage is logged once when it starts and once when it ends, and after the
 * server is back, with no restart of the product, every acknowledged create is there and creates work again.
 */
import { randomUUID } from 'node:crypto';
import { deletePrefixKeysAt } from '../support/testRedis.js';
import pg from 'pg';
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { captureLogger, WARN, type LogLine } from '../eventstore/captureLogger.js';
import { eventually } from '../support/eventually.js';
import { startDrillProduct } from './drillProduct.js';
import { adminToken } from '../support/httpHarness.js';
import { startPrivatePostgres } from './privatePostgres.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TIMEOUT_MS = 1000;
/** A create makes at most two store calls, each bounded; past this the product hung. */
const ANSWER_BOUND_MS = 3 * TIMEOUT_MS + 2000;
const SECRET = 'drill-tenant-secret';
const ADMIN_SECRET = 'drill-admin-secret-long-enough-for-hs256';

t.setTimeout(180_000);

t.test('a frozen, then a stopped event store / bounded FAILED answers, unavailable health, one log line per change, nothing acknowledged lost', async (t) => {
  const postgres = await startPrivatePostgres(t);
  const node = await new BbbNodeSimulator({ secret: 'drill-node-secret' }).start();
  t.teardown(() => node.stop());
  const prefix = `drill-${randomUUID()}:`;
  t.teardown(() => deletePrefixKeysAt(REDIS_URL, prefix));
  const { logger, lines } = captureLogger();
  const config = loadConfig({
    EVENTSTORE: postgres.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    EVENTSTORE_TIMEOUT_MS: String(TIMEOUT_MS),
    POLL_INTERVAL_MS: '500',
    RECONCILE_GRACE_MS: '1000',
    READ_YOUR_WRITES_TIMEOUT_MS: '2000',
    ADMIN_JWT_SECRET: ADMIN_SECRET,
  });
  const token = await adminToken({ scope: 'admin' }, ADMIN_SECRET);
  const { base } = await startDrillProduct(t, config, logger, { node, secret: SECRET, thaw: () => postgres.thaw() });

  const acknowledged: string[] = [];
  const bbb = async (call: string, params: Array<[string, string]>) => {
    const response = await fetch(`${base}/t/acme/bigbluebutton/api/${call}?${signedQuery(call, params, SECRET, 'sha256')}`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
    return { status: response.status, xml: await response.text() };
  };
  const create = async (meetingID: string) => {
    const answer = await bbb('create', [['name', `Room ${meetingID}`], ['meetingID', meetingID]]);
    t.equal(answer.status, 200, `create ${meetingID} answers HTTP 200`);
    if (answer.xml.includes('<returncode>SUCCESS</returncode>')) acknowledged.push(meetingID);
    return answer.xml;
  };
  const status = async (path: string) => {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
    return { status: response.status, body: (await response.json()) as { status: string; stores?: { eventStore?: { available: boolean } } } };
  };
  const monitorLines = (word: string) => lines.filter((l: LogLine) => l.store === 'event store (postgres)' && l.msg.includes(word));

  for (let i = 0; i < 5; i++) t.match(await create(`before-${i}`), /SUCCESS/);

  const outage = async (label: string, begin: () => void | Promise<void>, end: () => void | Promise<void>, outages: number) => {
    await begin();
    const during = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`${label}-${i}`)));
    for (const xml of during) {
      t.match(xml, /<returncode>FAILED<\/returncode>/, `${label}: a create answers FAILED`);
      t.match(xml, /<messageKey>internalError<\/messageKey>/);
    }
    const ended = await bbb('end', [['meetingID', 'before-0']]);
    t.match(ended.xml, /<returncode>FAILED<\/returncode>/, `${label}: end answers FAILED`);
    const admin = await fetch(`${base}/admin/api/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `tenant-${label}`, secrets: [`${label}-secret-0123456789`] }),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    t.equal(admin.status, 503, `${label}: an admin write answers 503`);
    t.match(await admin.json(), { code: 'STORE_UNAVAILABLE' });
    t.equal(admin.headers.get('retry-after'), '5');
    const health = await status('/health');
    t.equal(health.status, 503, `${label}: /health says failing`);
    t.equal(health.body.stores?.eventStore?.available, false, `${label}: /health names the event store unavailable`);
    const ping = await status('/ping');
    t.equal(ping.status, 503, `${label}: /ping says unavailable`);
    t.equal(monitorLines('is unavailable').length, outages, `${label}: the outage is logged once`);
    await end();
    await eventually(`${label}: /health ok again`, async () => (await status('/health')).status === 200, 30_000);
    t.equal((await status('/ping')).status, 200, `${label}: /ping ok again`);
    t.equal(monitorLines('available again').length, outages, `${label}: the recovery is logged once`);
    t.match(await create(`after-${label}`), /SUCCESS/, `${label}: creates work again without a restart`);
  };

  await outage('frozen', () => postgres.freeze(), () => postgres.thaw(), 1);
  await outage('stopped', () => postgres.stop(), () => postgres.start(), 2);

  t.notOk(lines.some((l) => l.msg === 'BBB API request failed'), 'no request logged an error of its own');
  // Two outages: no warning or error may repeat more often than once per change of state.
  const repeats = new Map<string, number>();
  for (const l of lines.filter((l) => l.level >= WARN)) repeats.set(l.msg, (repeats.get(l.msg) ?? 0) + 1);
  t.same([...repeats].filter(([, n]) => n > 2), [], 'no warning repeats per request or per retry');
  // Every acknowledged create is stored (read straight from the server) and listed.
  const check = new pg.Client({ connectionString: postgres.url });
  await check.connect();
  t.teardown(() => check.end());
  const { rows } = await check.query<{ meeting_id: string }>(`SELECT data->>'meetingID' AS meeting_id FROM es_events WHERE type = 'MeetingCreated'`);
  const stored = new Set(rows.map((r) => r.meeting_id));
  t.same(acknowledged.filter((id) => !stored.has(id)), [], 'every acknowledged create is in the event store');
  t.ok(acknowledged.length >= 7, 'creates were acknowledged before, between and after the outages');
  // The end reached the node before its event could be stored: reconciliation records it once the store is back.
  const running = acknowledged.filter((id) => id !== 'before-0');
  await eventually('every acknowledged meeting still running listed, the ended one not', async () => {
    const list = (await bbb('getMeetings', [])).xml;
    return running.every((id) => list.includes(`<meetingID>${id}</meetingID>`)) && !list.includes('<meetingID>before-0</meetingID>');
  }, 20_000);
});
