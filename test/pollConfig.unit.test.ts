import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('poll and health settings / default to a 10 s poll, a 500 ms retry, a 5 s timeout, offline after 3 and back after 5', async (t) => {
  t.match(loadConfig({}), { pollIntervalMs: 10_000, pollRetryMs: 500, pollTimeoutMs: 5000, healthFailThreshold: 3, healthRecoverThreshold: 5 });
});

t.test('POLL_RETRY_MS / defaults to the interval when the interval is shorter than 500 ms', async (t) => {
  t.match(loadConfig({ POLL_INTERVAL_MS: '100' }), { pollIntervalMs: 100, pollRetryMs: 100 });
});

t.test('POLL_RETRY_MS / longer than the interval stops the start naming both', async (t) => {
  t.throws(() => loadConfig({ POLL_INTERVAL_MS: '2000', POLL_RETRY_MS: '2001' }), { name: ConfigError.name, message: /^POLL_RETRY_MS: 2001 must not be more than POLL_INTERVAL_MS \(2000\)/ });
  t.match(loadConfig({ POLL_INTERVAL_MS: '2000', POLL_RETRY_MS: '2000' }), { pollRetryMs: 2000 }, 'equal is allowed');
});

t.test('poll and health settings / are read from the environment', async (t) => {
  const config = loadConfig({ POLL_INTERVAL_MS: '30000', POLL_RETRY_MS: '250', POLL_TIMEOUT_MS: '2000', HEALTH_FAIL_THRESHOLD: '2', HEALTH_RECOVER_THRESHOLD: '1' });
  t.match(config, { pollIntervalMs: 30_000, pollRetryMs: 250, pollTimeoutMs: 2000, healthFailThreshold: 2, healthRecoverThreshold: 1 });
});

for (const [variable, value] of [
  ['POLL_INTERVAL_MS', '0'],
  ['POLL_INTERVAL_MS', 'ten'],
  ['POLL_RETRY_MS', '49'],
  ['POLL_RETRY_MS', 'soon'],
  ['POLL_TIMEOUT_MS', '-1'],
  ['HEALTH_FAIL_THRESHOLD', '0'],
  ['HEALTH_RECOVER_THRESHOLD', '1.5'],
] as const) {
  t.test(`${variable}=${value} / stops the start naming the variable`, async (t) => {
    t.throws(() => loadConfig({ [variable]: value }), { name: ConfigError.name, message: new RegExp(`^${variable}: "${value}" is not an integer`) });
  });
}
