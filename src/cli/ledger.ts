import { loadConfig, ConfigError, type Config } from '../config.js';
import { createLogger, type Logger } from '../logging.js';
import { openEventStore } from '../eventstore/open.js';
import type { EventStore } from '../eventstore/port.js';
import pg from 'pg';
import { adminTokenCommand } from './adminTokenCommand.js';
import { grantAnalystCommand } from './grantAnalystCommand.js';
import { asOfCommand, historyCommand, whyCommand } from './historyCommands.js';
import { rebuildCommand } from './rebuildCommand.js';
import { cliRenderOptions, recordingRenderCommand } from './recordingRenderCommand.js';
import { recordingsCommand } from './recordingsCommand.js';

/** `npm run ledger -- <command> …`: operator commands against the configured event store and read models. */
const USAGE = `usage: npm run ledger -- <command>
  rebuild (--all | --projection <name> …) [--replace] [--no-swap]   rebuild read models beside the live ones, then swap
  history <stream> [--json]                       every event of a stream with actor, correlation, causation
  as-of <ISO instant> [--stream <stream>]         an aggregate's state, or the whole fleet, folded from the log
  why <scope> <meetingID>                         a meeting's placement and the fleet just before it
  grant-analyst <role> [--member <login user>]    the read-only analyst role on the statistics views (DATABASE_URL)
  admin-token [--ttl <seconds>] [--subject <name>] an admin API token signed with ADMIN_JWT_SECRET
  recordings <tenant> [--json]                    a tenant's recordings, newest first
  recordings --imports [--failed] [--json]        uploads and their import state (failed: reason, quarantine)
  recordings render <recordID> [--profile <p> …]  render a recording again (default RENDER_PROFILES)
`;

const [command, ...args] = process.argv.slice(2);
try {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  switch (command) {
    case 'rebuild':
      process.exitCode = await rebuildCommand(args, config, logger);
      break;
    case 'history':
      process.exitCode = await withStore(config, logger, (store) => historyCommand(args, store, out, err));
      break;
    case 'as-of':
      process.exitCode = await withStore(config, logger, (store) => asOfCommand(args, store, out, err, new Date()));
      break;
    case 'why':
      process.exitCode = await withStore(config, logger, (store) => whyCommand(args, store, out, err));
      break;
    case 'admin-token':
      process.exitCode = await adminTokenCommand(args, config, out, err);
      break;
    case 'recordings':
      process.exitCode = await withStore(config, logger, (store) =>
        args[0] === 'render' && args.length > 1 ? recordingRenderCommand(args.slice(1), store, out, err, cliRenderOptions(config.renderProfiles)) : recordingsCommand(args, store, out, err),
      );
      break;
    case 'grant-analyst':
      process.exitCode = await withPool(config, (pool) => grantAnalystCommand(args, pool, config.statsSchema, out, err));
      break;
    default:
      process.stderr.write(USAGE);
      process.exitCode = 2;
  }
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`bbb-ledger: configuration error: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    // The messages say what to do (a store that cannot be opened, a directory in use); the stack only with LOG_LEVEL=debug.
    const detail = process.env.LOG_LEVEL === 'debug' && error instanceof Error ? `\n${error.stack}` : '';
    process.stderr.write(`bbb-ledger: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    process.exitCode = 1;
  }
}

function out(text: string): void {
  process.stdout.write(text);
}

function err(text: string): void {
  process.stderr.write(text);
}

async function withStore(config: Config, logger: Logger, run: (store: EventStore) => Promise<number>): Promise<number> {
  const store = await openEventStore(config.eventStore, logger);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

async function withPool(config: Config, run: (pool: pg.Pool) => Promise<number>): Promise<number> {
  if (!config.databaseUrl) {
    err('set DATABASE_URL: the statistics live in Postgres\n');
    return 2;
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, application_name: 'bbb-ledger cli' });
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
}
