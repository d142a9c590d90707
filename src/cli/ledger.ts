import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../logging.js';
import { rebuildCommand } from './rebuildCommand.js';

/** `npm run ledger -- <command> …`: operator commands against the configured event store and read models. */
const USAGE = `usage: npm run ledger -- <command>
  rebuild (--all | --projection <name> …) [--replace] [--no-swap]   rebuild read models beside the live ones, then swap
`;

const [command, ...args] = process.argv.slice(2);
try {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  switch (command) {
    case 'rebuild':
      process.exitCode = await rebuildCommand(args, config, logger);
      break;
    default:
      process.stderr.write(USAGE);
      process.exitCode = 2;
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`bbb-ledger: configuration error: ${error.message}\n`);
  process.exitCode = 2;
}
