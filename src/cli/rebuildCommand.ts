import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../config.js';
import { openEventStore } from '../eventstore/open.js';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore.js';
import type { Logger } from '../logging.js';
import { rebuild, RebuildRefusedError, REBUILDABLE } from '../rebuild/rebuild.js';

/** `rebuild (--all | --projection <name> …) [--replace] [--no-swap]`; returns the exit code. */
export async function rebuildCommand(argv: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { all: { type: 'boolean' }, projection: { type: 'string', multiple: true }, replace: { type: 'boolean' }, 'no-swap': { type: 'boolean' } },
  });
  const models = values.all ? [...REBUILDABLE].filter((m) => (m === 'stats' ? config.databaseUrl : config.redisUrl)) : (values.projection ?? []);
  if (models.length === 0 && values.all) {
    process.stdout.write(
      'nothing rebuilt: without REDIS_URL and DATABASE_URL every read model lives in the bbb-ledger process and is rebuilt ' +
        'from the event log at each start (restart bbb-ledger to rebuild them). rebuild --all rebuilds the Redis read models ' +
        `(${REBUILDABLE.filter((m) => m !== 'stats').join(', ')}; REDIS_URL) and the statistics (stats; DATABASE_URL).\n`,
    );
    return 0;
  }
  if (models.length === 0) {
    process.stderr.write(`name read models with --projection (${REBUILDABLE.join(', ')}) or pass --all\n`);
    return 2;
  }
  const store = await openEventStore(config.eventStore, logger);
  const pool = config.databaseUrl ? new pg.Pool({ connectionString: config.databaseUrl, application_name: 'bbb-ledger rebuild' }) : undefined;
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const total = store instanceof PostgresEventStore ? await countEvents(store) : 0;
  const bar = new SingleBar({ format: 'rebuild [{bar}] {value}/{total} events | {rate} events/s | {duration_formatted}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  const started = performance.now();
  bar.start(total, 0, { rate: 0 });
  try {
    const report = await rebuild({
      store, logger, models, replace: values.replace === true, swap: values['no-swap'] !== true, pool, statsBase: config.statsSchema, redis, redisPrefix: config.redisPrefix,
      onProgress: (events) => bar.update(Math.min(events, total || events), { rate: Math.round(events / ((performance.now() - started) / 1000)) }),
    });
    bar.stop();
    const rate = Math.round(report.logEvents / (report.elapsedMs / 1000));
    for (const { name, into } of report.built) process.stdout.write(`${name}: built in ${into}${values['no-swap'] ? ' (not swapped)' : ', now live'}\n`);
    process.stdout.write(`${report.logEvents} events of the log in ${(report.elapsedMs / 1000).toFixed(1)} s (${rate} events/s), ${report.events} projected over ${report.built.length} model(s)\n`);
    return 0;
  } catch (error) {
    bar.stop();
    if (!(error instanceof RebuildRefusedError)) throw error;
    process.stderr.write(`refused: ${error.message}\n`);
    return 1;
  } finally {
    await store.close();
    await pool?.end();
    redis?.disconnect();
  }
}

async function countEvents(store: PostgresEventStore): Promise<number> {
  const { rows } = await store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${store.schema}".es_events`);
  return rows[0]?.n ?? 0;
}
