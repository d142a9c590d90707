import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import { handleTenantCommand } from '../../src/commands/decider/tenantCommands.js';
import type { CommandContext } from '../../src/commands/decider/handleCommand.js';
import { compose, type Composed } from '../../src/compose.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logging.js';
import type { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../support/eventually.js';
import { serve } from '../support/httpHarness.js';
import { commandContext } from '../support/commandContext.js';

/**
 * The product for an outage drill: composed and served, tenant `acme` (with `secret`) and one available node
 * registered. Teardown thaws whatever the drill froze before stopping the product, so the stop can finish.
 */
export async function startDrillProduct(
  t: Test,
  config: Config,
  logger: Logger,
  drill: { node: BbbNodeSimulator; secret: string; thaw(): void },
): Promise<{ composed: Composed; base: string }> {
  const composed = await compose(config, logger);
  await composed.start();
  t.teardown(async () => {
    drill.thaw();
    await composed.stop();
  });
  const base = await serve(t, composed.requestListener);
  const context = (): CommandContext => commandContext({ actor: 'system:drill', id: randomUUID() });
  await handleTenantCommand(composed.store, { type: 'RegisterTenant', data: { tenant: 'acme', secrets: [drill.secret] } }, context());
  const { node } = drill;
  await handleNodeCommand(composed.store, { type: 'RegisterNode', data: { nodeId: 'n1', url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } }, context());
  await eventually('the node available', () => composed.nodeDirectory.nodesForPlacement().some((n) => n.health === 'available'));
  return { composed, base };
}
