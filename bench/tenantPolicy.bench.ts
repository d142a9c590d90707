/**
 * What tenant policy costs: join and create throughput of the composed product (EVENTSTORE=memory) for a tenant
 * without policy, then with 20 parameter rules (10 create, 10 join), limits (hard, high enough never to refuse), a
 * logo (create's `logo`) and a stylesheet (join's custom style URL), then without again, in one process run; ratios against the mean of the two runs without. `npm run bench:policy`.
 * BENCH_SECONDS (8) per join phase, BENCH_CONNECTIONS (64), BENCH_CREATES (400) per create phase.
 */
import { createHash, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import type { ParameterRule } from '../src/domain/policy/parameterRules.js';
import { eventually } from '../test/support/eventually.js';
import { startBenchProduct, TENANT, type BenchProduct } from './benchProduct.js';
import { runLoad, wrkAvailable, type LoadResult } from './wrkLoad.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const CREATES = Number(process.env.BENCH_CREATES ?? 400);
const MEETINGS = 30;
const USERS_PER_MEETING = 20;

const progress = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);

const RULES: ParameterRule[] = [
  { call: 'create', param: 'duration', mode: 'max', value: '240' },
  { call: 'create', param: 'maxParticipants', mode: 'max', value: '200' },
  { call: 'create', param: 'record', mode: 'block' },
  { call: 'create', param: 'welcome', mode: 'set', value: 'Welcome' },
  { call: 'create', param: 'muteOnStart', mode: 'override', value: 'true' },
  { call: 'create', param: 'disabledFeatures', mode: 'append', value: 'chat,polls' },
  { call: 'create', param: 'logoutURL', mode: 'set', value: 'https://lms.example.com/' },
  { call: 'create', param: 'allowStartStopRecording', mode: 'override', value: 'false' },
  { call: 'create', param: 'webcamsOnlyForModerator', mode: 'set', value: 'true' },
  { call: 'create', param: 'meta_hoster', mode: 'override', value: 'bench' },
  { call: 'join', param: 'userdata-bbb_auto_join_audio', mode: 'override', value: 'true' },
  { call: 'join', param: 'userdata-bbb_listen_only_mode', mode: 'set', value: 'false' },
  { call: 'join', param: 'userdata-bbb_skip_check_audio', mode: 'set', value: 'true' },
  { call: 'join', param: 'userdata-bbb_hide_presentation', mode: 'block' },
  { call: 'join', param: 'userdata-bbb_show_participants_on_login', mode: 'set', value: 'true' },
  { call: 'join', param: 'userdata-bbb_auto_share_webcam', mode: 'override', value: 'false' },
  { call: 'join', param: 'userdata-bbb_custom_style_url', mode: 'set', value: 'https://cdn.example.com/a.css' },
  { call: 'join', param: 'excludeFromDashboard', mode: 'block' },
  { call: 'join', param: 'guest', mode: 'override', value: 'false' },
  { call: 'join', param: 'userdata-bbb_preferred_camera_profile', mode: 'max', value: '3' },
];

/** CPU of this process (product, nodes, read models) per answered request: steadier than req/s on a shared box. */
type Measured = LoadResult & { cpuUs: number };

async function measured(run: () => Promise<LoadResult>): Promise<Measured> {
  const before = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(before);
  return { ...result, cpuUs: (cpu.user + cpu.system) / Math.max(1, result.requests) };
}

async function joins(product: BenchProduct, paths: string[], label: string): Promise<Measured> {
  await runLoad({ origin: product.origin, paths, expectedStatus: 302, connections: CONNECTIONS, seconds: 2, maxRequests: 1_000_000 });
  const result = await measured(() => runLoad({ origin: product.origin, paths, expectedStatus: 302, connections: CONNECTIONS, seconds: SECONDS, maxRequests: 1_000_000 }));
  progress(`join ${label}: ${result.perSecond} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ${result.cpuUs.toFixed(1)} µs CPU/request (${result.failures} failures)`);
  if (result.failures > 0) throw new Error(`join ${label}: ${result.failures} failures`);
  return result;
}

async function creates(product: BenchProduct, label: string): Promise<Measured> {
  const prefix = randomUUID().slice(0, 8);
  const paths = Array.from({ length: CREATES }, (_, i) => product.path('create', [['name', `Room ${i}`], ['meetingID', `${prefix}-${i}`], ['duration', '600'], ['record', 'true']]));
  const result = await measured(() => runLoad({ origin: product.origin, paths, expectedStatus: 200, connections: 16, seconds: 120, maxRequests: CREATES }));
  progress(`create ${label}: ${result.perSecond} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ${result.cpuUs.toFixed(1)} µs CPU/request (${result.failures} failures)`);
  return result;
}

async function main(): Promise<void> {
  if (!(await wrkAvailable())) throw new Error('wrk is not installed');
  console.log(`tenant policy bench: ${cpus().length} cores, Node ${process.version}, ${SECONDS} s per join phase, ${CONNECTIONS} connections`);
  const product = await startBenchProduct('memory');
  try {
    const meetingIDs = await product.createMeetings('room', MEETINGS);
    const paths = meetingIDs.flatMap((meetingID) =>
      Array.from({ length: USERS_PER_MEETING }, (_, u) => product.path('join', [['fullName', `P${u}`], ['meetingID', meetingID], ['role', u === 0 ? 'MODERATOR' : 'VIEWER'], ['guest', 'true']])),
    );
    const plainJoin1 = await joins(product, paths, 'without policy');
    const plainCreate1 = await creates(product, 'without policy');
    await product.tenantCommand({ type: 'SetTenantParameters', data: { tenant: TENANT, subId: 0, rules: { rules: RULES } } });
    await product.tenantCommand({ type: 'SetTenantLimits', data: { tenant: TENANT, subId: 0, limits: { meetings: 1_000_000, attendees: 100_000_000, mode: 'hard' } } });
    // The branding as the admin API records it; the bench never fetches the URLs, so the bytes need not be stored.
    for (const [kind, mime] of [['logo', 'image/png'], ['css', 'text/css']] as const) {
      await product.tenantCommand({ type: 'SetTenantAsset', data: { tenant: TENANT, kind, hash: createHash('sha256').update(kind).digest('hex'), size: 2048, mime } });
    }
    await eventually('the join rules and the stylesheet are in effect', async () => {
      const answer = await fetch(`${product.origin}${paths[0]}`, { redirect: 'manual' });
      const query = new URL(answer.headers.get('location') ?? 'http://x/').searchParams;
      return query.get('guest') === 'false' && (query.get('userdata-bbb_custom_style_url') ?? '').includes('/assets/bench/css?v=');
    }, 10_000);
    const policyJoin = await joins(product, paths, 'with 20 rules, branding and limits');
    const policyCreate = await creates(product, 'with 20 rules, branding and limits');
    await product.tenantCommand({ type: 'SetTenantParameters', data: { tenant: TENANT, subId: 0, rules: { rules: [] } } });
    await product.tenantCommand({ type: 'SetTenantLimits', data: { tenant: TENANT, subId: 0, limits: { meetings: null, attendees: null, mode: 'hard' } } });
    for (const kind of ['logo', 'css']) await product.tenantCommand({ type: 'RemoveTenantAsset', data: { tenant: TENANT, kind } });
    await eventually('the rules are gone', async () => {
      const answer = await fetch(`${product.origin}${paths[0]}`, { redirect: 'manual' });
      const query = new URL(answer.headers.get('location') ?? 'http://x/').searchParams;
      return query.get('guest') === 'true' && query.get('userdata-bbb_custom_style_url') === null;
    }, 10_000);
    const plainJoin2 = await joins(product, paths, 'without policy, again');
    const plainCreate2 = await creates(product, 'without policy, again');
    console.log('\n| call | without (1st, 2nd) | with 20 rules + logo + stylesheet + limits | throughput ratio | CPU µs/request without → with |\n|---|---|---|---|---|');
    for (const [call, a, b, p] of [['join (302)', plainJoin1, plainJoin2, policyJoin], ['create', plainCreate1, plainCreate2, policyCreate]] as const) {
      const base = (a.perSecond + b.perSecond) / 2;
      const cpuBase = (a.cpuUs + b.cpuUs) / 2;
      console.log(`| ${call} | ${base.toFixed(0)} req/s (${a.perSecond}, ${b.perSecond}) | ${p.perSecond} req/s | ${(p.perSecond / base).toFixed(2)} | ${cpuBase.toFixed(1)} → ${p.cpuUs.toFixed(1)} (${(cpuBase / p.cpuUs).toFixed(2)}) |`);
    }
  } finally {
    await product.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
