import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Composed } from './compose.js';
import type { Config } from './config.js';
import type { Logger } from './logging.js';

/** Starts the composed product and listens; stops everything cleanly on SIGINT/SIGTERM, then exits 0. */
export async function serve(
  composed: Composed,
  config: Pick<Config, 'port' | 'host' | 'eventStore' | 'redisUrl'>,
  logger: Logger,
  options: { alsoStop?: () => Promise<void> } = {},
): Promise<{ server: Server; port: number }> {
  await composed.start().catch((error: unknown) => fatal(logger, error));
  const server = createServer(composed.requestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch((error: unknown) => fatal(logger, error));
  const { address, port } = server.address() as AddressInfo;
  logger.info(
    { host: address, port, eventStore: config.eventStore.kind, readModels: config.redisUrl ? 'redis' : 'in-process' },
    `listening on http://${address}:${port}`,
  );

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // 1. stop taking requests (running ones finish), 2. stop projections and sagas, 3. close clients
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await composed.stop();
    await options.alsoStop?.();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', (s) => void shutdown(s));
  process.once('SIGTERM', (s) => void shutdown(s));
  return { server, port };
}

export function fatal(logger: Logger, error: unknown): never {
  logger.fatal({ err: error }, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
