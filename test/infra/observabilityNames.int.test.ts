import { readFileSync } from 'node:fs';
import t from 'tap';
import { METRICS_TOKEN, scrape, startMetricsProduct } from '../metrics/metricsSupport.js';
import { eventually } from '../support/eventually.js';
import { adminToken, call } from '../support/httpHarness.js';

const DASHBOARD = new URL('../../infra/grafana/bbb-ledger.dashboard.json', import.meta.url);
const RULES = new URL('../../infra/prometheus/bbb-ledger.rules.yml', import.meta.url);

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr));
}

function ruleExpressions(): string[] {
  return [...readFileSync(RULES, 'utf8').matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]!);
}

/** Metric names in a PromQL expression: ours and the process defaults (functions and labels are not ours). */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  return [...withoutStrings.matchAll(/\b(?:bbb_ledger|process|nodejs)_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
}

t.test('every metric the dashboard and the alert rules use / is in a real /metrics answer', async (t) => {
  const { base } = await startMetricsProduct(t, { METRICS_TOKEN });
  const { text } = await scrape(base);
  const families = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`] : [m[1]!])));
  const expressions = [...dashboardExpressions(), ...ruleExpressions()];
  t.ok(expressions.length > 30, `${expressions.length} expressions read`);
  const used = new Set(expressions.flatMap(metricNames));
  for (const name of [...used].sort()) t.ok(families.has(name), name);
  for (const section of ['Fleet', 'Tenants', 'Balancer internals', 'Autoscaling']) t.match(readFileSync(DASHBOARD, 'utf8'), `"title": "${section}"`);
  for (const alert of ['BbbLedgerNodeOffline', 'BbbLedgerProjectionLagging', 'BbbLedgerCallbackBacklog', 'BbbLedgerTenantLimitHits', 'BbbLedgerChecksumFailureBurst']) {
    t.match(readFileSync(RULES, 'utf8'), `alert: ${alert}`);
  }
});

t.test('every family has help text; the delivery queues and the limit hits are reported', async (t) => {
  const { base, bbbPath } = await startMetricsProduct(t, { METRICS_TOKEN, JOIN_RECORD_WINDOW_MS: '50' });
  const token = await adminToken();
  t.equal((await call(base, '/admin/api/v1/tenants/acme/limits', { method: 'PUT', token, body: { meetings: 0, attendees: null, mode: 'hard' } })).status, 200);
  t.match(await (await fetch(`${base}${bbbPath('create', [['name', 'Room'], ['meetingID', 'm1']])}`)).text(), /meetingLimitReached/);
  let text = '';
  await eventually('the refusal counted from the log', async () => {
    text = (await scrape(base)).text;
    return text.includes('bbb_ledger_tenant_limit_hits_total{tenant="acme",limit="meetings",outcome="refused"} 1');
  });
  const types = [...text.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!);
  const helps = new Map([...text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  for (const name of types) t.ok((helps.get(name) ?? '').trim().length > 10, `${name} has help text`);
  for (const saga of ['callbacks', 'hooks']) {
    t.match(text, new RegExp(`^bbb_ledger_saga_queue_depth\\{saga="${saga}"\\} 0$`, 'm'), `${saga} queue depth`);
    t.match(text, new RegExp(`^bbb_ledger_saga_queue_oldest_age_seconds\\{saga="${saga}"\\} 0$`, 'm'), `${saga} oldest item age`);
  }
});
