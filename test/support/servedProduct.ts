import type { Test } from 'tap';
import { compose, type Composed } from '../../src/compose.js';
import type { Config } from '../../src/config.js';
import { adminToken, serve } from './httpHarness.js';
import { silentLogger, type Logger } from '../../src/logging.js';

/** The product as main.ts composes it, started and served for one test (stopped at teardown), with an admin token. */
export async function servedProduct(t: Test, config: Config, logger: Logger = silentLogger): Promise<{ composed: Composed; base: string; token: string }> {
  const composed = await compose(config, logger);
  await composed.start();
  t.teardown(() => composed.stop());
  const base = await serve(t, composed.requestListener);
  return { composed, base, token: await adminToken() };
}
