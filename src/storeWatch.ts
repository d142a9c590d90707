import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Config } from './config.js';
import { AvailabilityMonitor, isOutage } from './availability.js';
import type { Logger } from './logging.js';
import { inProcessLeases, leaseOwnerId, postgresLeases, redisLeases, type LeaseProvider } from './sagas/lease.js';

/** How often an idle instance checks that Redis answers: a frozen Redis times commands out without a connection error. */
const REDIS_CHECK_INTERVAL_MS = 2000;

/**
 * One log line when Redis goes away and one when it is back; ioredis reconnects by itself meanwhile. A PING
 * every REDIS_CHECK_INTERVAL_MS (bounded by REDIS_TIMEOUT_MS) notices a Redis that hangs rather than refuses.
 */
export function watchRedis(redis: Redis, logger: Logger): { monitor: AvailabilityMonitor; stop(): void } {
  const monitor = new AvailabilityMonitor(logger, 'Redis', 'Check that Redis is running and reachable (REDIS_URL); read models rebuild from the event store if it comes back empty.');
  redis.on('error', (error: Error) => monitor.failed(error));
  redis.on('ready', () => monitor.succeeded());
  const timer = setInterval(() => {
    if (redis.status === 'wait' || redis.status === 'end') return;
    monitor.observe(redis.ping(), isOutage).catch(() => undefined);
  }, REDIS_CHECK_INTERVAL_MS);
  timer.unref();
  return { monitor, stop: () => clearInterval(timer) };
}

/**
 * An idle client of the statistics pool that fails (database restart) would crash the process unheard; it
 * is logged once per outage instead, and the pool opens a new connection on next use. Statistics are not
 * on the request path, so /health does not fail on them (their projection's state is there).
 */
export function watchStatsPool(pool: pg.Pool, logger: Logger): void {
  const monitor = new AvailabilityMonitor(logger, 'statistics database', 'Check that PostgreSQL at DATABASE_URL is running and reachable; statistics catch up when it is back.');
  pool.on('error', (error) => monitor.failed(error));
  pool.on('connect', () => monitor.succeeded());
}

export function leaseProvider(config: Config, redis: Redis | undefined): LeaseProvider {
  if (redis) return redisLeases(redis, config.redisPrefix, leaseOwnerId(), config.leaseTtlMs);
  if (config.eventStore.kind === 'postgres') return postgresLeases(config.eventStore.connectionString, config.leaseTtlMs);
  // Memory and PGlite stores belong to one process; ESDB without Redis has nothing to lease with.
  return inProcessLeases();
}
