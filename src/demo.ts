import { randomUUID } from 'node:crypto';
import type { CommandContext } from './commands/decider/handleCommand.js';
import { handleNodeCommand } from './commands/decider/nodeCommands.js';
import { handleTenantCommandHoldingSecrets } from './commands/decider/secretReservationCommands.js';
import { compose } from './compose.js';
import { loadConfig } from './config.js';
import { signedApiUrl } from './domain/bbb/apiUrl.js';
import { createLogger } from './logging.js';
import { fatal, serve } from './serve.js';
import { BbbNodeSimulator } from './simulator/bbbNodeSimulator.js';

/**
 * `npm run demo`: the product with three simulated BBB nodes and a tenant `demo`, to try the BBB API by
 * hand. Events stay in memory (simulated nodes get new ports every run, so nothing here is worth keeping).
 */
const TENANT = 'demo';
const TENANT_SECRET = 'demo-tenant-secret-change-me';

const config = loadConfig({ ...process.env, EVENTSTORE: 'memory', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const logger = createLogger(config.logLevel);
const nodes = await Promise.all([1, 2, 3].map((i) => new BbbNodeSimulator({ secret: `demo-node-${i}-secret` }).start()));
const composed = await compose(config, logger).catch((error: unknown) => fatal(logger, error));
const { port } = await serve(composed, config, logger, {
  alsoStop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
});

const context = (): CommandContext => {
  const id = randomUUID();
  return { actor: 'system:demo', correlationId: id, causationId: id, now: new Date(), commandId: id };
};
await handleTenantCommandHoldingSecrets(composed.store, { type: 'RegisterTenant', data: { tenant: TENANT, secrets: [TENANT_SECRET] } }, context());
for (const [i, node] of nodes.entries()) {
  await handleNodeCommand(
    composed.store,
    { type: 'RegisterNode', data: { nodeId: `sim-${i + 1}`, url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } },
    context(),
  );
}
// The URLs below must work at once: a create before the first probe of each node finds no available server.
const allAvailable = () => composed.nodeDirectory.nodesForPlacement().filter((n) => n.health === 'available').length === nodes.length;
for (let waited = 0; !allAvailable(); waited += 50) {
  if (waited > 30_000) fatal(logger, new Error('the simulated nodes did not become available within 30 s'));
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const api = `http://127.0.0.1:${port}/t/${TENANT}/bigbluebutton/api/`;
const url = (call: string, params: Array<[string, string]>) => signedApiUrl(api, call, params, TENANT_SECRET, 'sha256');
process.stdout.write(
  [
    '',
    `bbb-ledger demo: 3 simulated BBB nodes (${nodes.map((n) => n.origin).join(', ')}), tenant "${TENANT}"`,
    `  BBB API:    ${api}`,
    `  secret:     ${TENANT_SECRET}`,
    composed.generatedAdminToken ? `  admin token: ${composed.generatedAdminToken}` : '',
    '',
    '  1. create a meeting:',
    `     ${url('create', [['name', 'Demo room'], ['meetingID', 'demo-room']])}`,
    '  2. join it (open in a browser; it redirects to the node):',
    `     ${url('join', [['meetingID', 'demo-room'], ['fullName', 'Ada Lovelace'], ['role', 'MODERATOR']])}`,
    '  3. list meetings:',
    `     ${url('getMeetings', [])}`,
    '',
    'Ctrl-C stops it; nothing is kept.',
    '',
  ].join('\n'),
);
