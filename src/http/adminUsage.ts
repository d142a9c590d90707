import { Router } from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseDay } from '../history/instants.js';
import type { MeetingReadModel } from '../projections/meetingList.js';
import { usageCsv, usageTotals, type UsageQueries } from '../projections/stats/usageQueries.js';
import type { TenantDirectory } from '../projections/tenantDirectory.js';
import { HttpProblem } from './problems.js';
import { tenantStats, type B3lbTenantStats } from './tenantStats.js';

export interface AdminUsageDeps {
  /** The statistics' analyst views; undefined without DATABASE_URL. */
  usage: UsageQueries | undefined;
  meetings: MeetingReadModel;
  tenantDirectory: TenantDirectory;
  now(): Date;
}

const FORMATS = ['json', 'csv'] as const;

/** Usage for billing (from the statistics in Postgres) and B3LB-style live stats (from the meeting list). */
export function adminUsageRouter(deps: AdminUsageDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1' });

  router.get('/usage', async (ctx) => {
    const tenant = optionalString(ctx, 'tenant');
    const from = parseDay(optionalString(ctx, 'from'), 'from');
    const to = parseDay(optionalString(ctx, 'to'), 'to');
    const format = optionalString(ctx, 'format') ?? 'json';
    if (!FORMATS.some((f) => f === format)) throw new ValidationError(`format "${format}" is not one of ${FORMATS.join(', ')}`, 'format');
    if (from > deps.now().toISOString().slice(0, 10)) throw new ValidationError(`from ${from} is in the future`, 'from');
    if (to < from) throw new ValidationError(`to ${to} is before from ${from}`, 'to');
    if (tenant !== undefined && !deps.tenantDirectory.get(tenant)) throw new NotFoundError(`tenant ${tenant} is not registered`);
    if (!deps.usage) throw new HttpProblem(503, 'STATISTICS_NOT_CONFIGURED', 'No statistics', 'usage comes from the statistics in Postgres: set DATABASE_URL');
    const days = await deps.usage.tenantDays(tenant, from, to);
    if (format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="usage-${tenant ?? 'all'}-${from}-${to}.csv"`);
      ctx.body = usageCsv(days);
      return;
    }
    ctx.body = { tenant: tenant ?? null, from, to, days, totals: usageTotals(days) };
  });

  router.get('/stats', async (ctx) => {
    const all: B3lbTenantStats = {};
    for (const { name } of deps.tenantDirectory.list()) Object.assign(all, tenantStats(name, await deps.meetings.list(name, name)));
    ctx.body = all;
  });

  router.get('/stats/:tenant', async (ctx) => {
    const tenant = ctx.params.tenant ?? '';
    if (!deps.tenantDirectory.get(tenant)) throw new NotFoundError(`tenant ${tenant} is not registered`);
    ctx.body = tenantStats(tenant, await deps.meetings.list(tenant, tenant));
  });

  return router;
}

function optionalString(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw new ValidationError(`${name} is given more than once`, name);
  return value === '' ? undefined : value;
}
