import { readFileSync } from 'node:fs';
import t from 'tap';
import { METRICS_TOKEN, scrape, startMetricsProduct } from '../metrics/metricsSupport.js';

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
