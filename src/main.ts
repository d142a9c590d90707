import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compose } from './compose.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logging.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`bbb-ledger: configuration error: ${error.message}\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel);
const composed = await compose(config, logger).catch(fatal);
await composed.start().catch(fatal);

const server = createServer(composed.app.callback());
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.port, config.host, resolve);
});
const { address, port } = server.address() as AddressInfo;
logger.info({ host: address, port, eventStore: config.eventStore.kind, readModels: config.redisUrl ? 'redis' : 'in-process' }, `listening on http://${address}:${port}`);
if (composed.generatedAdminToken) {
  logger.warn(
    { adminToken: composed.generatedAdminToken },
    'ADMIN_JWT_SECRET is not set: generated a key for this run; use this admin token (valid until the process stops)',
  );
}

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  // 1. stop taking requests (and let running ones finish), 2. stop projections, 3. close clients
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await composed.stop();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGINT', (s) => void shutdown(s));
process.once('SIGTERM', (s) => void shutdown(s));

function fatal(error: unknown): never {
  logger.fatal({ err: error }, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
