import type { Test } from 'tap';
import { compose, type Composed } from '../../src/compose.js';
import type { Config } from '../../src/config.js';
import { adminToken, serve } from './httpHarness.js';
import { silentLogger, type Logger } from '../../src/logging.js';

/**
 * The product as main.ts composes it, started and served for one test (stopped at teardown, or earlier by
 * `stop`, e.g. to start another composition on the same store), with an admin token.
 */
export async function servedProduct(t: Test, config: Config, logger: Logger = silentLogger): Promise<{ composed: Composed; base: string; token: string; stop(): Promise<void> }> {
  const composed = await compose(config, logger);
  await composed.start();
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= composed.stop());
  t.teardown(stop);
  const base = await serve(t, composed.requestListener);
  return { composed, base, token: await adminToken(), stop };
}
