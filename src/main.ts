import { compose } from './compose.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logging.js';
import { adminTokenBanner, fatal, serve } from './serve.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`bbb-ledger: configuration error: ${error.message}\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel);
const composed = await compose(config, logger).catch((error: unknown) => fatal(logger, error));
await serve(composed, config, logger);
if (composed.generatedAdminToken) {
  const hours = Math.round(config.adminTokenMaxLifetimeS / 360) / 10;
  logger.warn(
    { adminToken: composed.generatedAdminToken },
    `ADMIN_JWT_SECRET is not set: generated a key for this run; use this admin token (valid until the process stops, at most ${hours} h)`,
  );
  // On its own lines on stderr, apart from the JSON log on stdout, so a person finds it at a glance.
  process.stderr.write(adminTokenBanner(composed.generatedAdminToken, hours));
}
