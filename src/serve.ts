import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Composed } from './compose.js';
import { explainHeaderOverflow } from './http/headerOverflow.js';
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
  explainHeaderOverflow(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch((error: unknown) => fatal(logger, listenProblem(error, config)));
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
  const message = `cannot start: ${error instanceof Error ? error.message : String(error)}`;
  logger.fatal({ err: error }, message);
  // Also plainly, for whoever started it by hand with a quieter LOG_LEVEL or reads the terminal.
  process.stderr.write(`bbb-ledger: ${message}\n`);
  process.exit(1);
}

/** A port someone else listens on says which variable to change. */
function listenProblem(error: unknown, config: Pick<Config, 'port' | 'host'>): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code?: unknown }).code : undefined;
  if (code !== 'EADDRINUSE') return error;
  const other = config.port === 65535 ? config.port - 1 : config.port + 1;
  return new Error(`port ${config.port} on ${config.host} is already in use (another bbb-ledger, such as npm start, or another server): set PORT to a free port, e.g. PORT=${other}`, { cause: error });
}

/** The generated admin token as a person should see it: alone on its line, with what to do to keep one. */
export function adminTokenBanner(token: string, hours: number): string {
  return [
    '',
    `Admin API token for this run (valid until it stops, at most ${hours} h):`,
    '',
    token,
    '',
    'Use it as "Authorization: Bearer <token>" on /admin/api/v1/. To keep tokens across restarts, set',
    'ADMIN_JWT_SECRET (at least 32 characters) and mint one with: npm run ledger -- admin-token',
    '',
    '',
  ].join('\n');
}
