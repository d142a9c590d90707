import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.js';

t.test('METRICS_* / absent: on, loopback only, no token', async (t) => {
  t.same(loadConfig({}).metrics, { enabled: true, token: undefined, allow: ['127.0.0.1', '::1'] });
});

t.test('METRICS_* / with a token and no list nobody is allowed by address; a list is read as given', async (t) => {
  t.same(loadConfig({ METRICS_TOKEN: 'a-token-of-16-chars' }).metrics.allow, []);
  t.same(loadConfig({ METRICS_ALLOW: ' 10.0.0.0/8 , fd00::/8,,192.0.2.7' }).metrics.allow, ['10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
  t.equal(loadConfig({ METRICS_ENABLED: 'false' }).metrics.enabled, false);
});

t.test('METRICS_* / a wrong value stops the start naming the variable', async (t) => {
  t.equal(loadConfig({ METRICS_TOKEN: 'short' }).metrics.token, 'short', 'a short token is the operator’s choice');
  t.throws(() => loadConfig({ METRICS_ALLOW: '10.0.0.0/8,intranet' }), { name: ConfigError.name, message: /^METRICS_ALLOW: "intranet" is not an IP address/ });
  t.throws(() => loadConfig({ METRICS_ENABLED: 'yes' }), { name: ConfigError.name, message: /^METRICS_ENABLED/ });
});

t.test('AUTOSCALE_* / defaults, and each value where it belongs', async (t) => {
  t.same(loadConfig({}).autoscale, { highWatermark: 0.8, lowWatermark: 0.3, minimumNodes: 1, cooldownMs: 600_000, participantsPerNode: 200 });
  const config = loadConfig({ AUTOSCALE_HIGH_WATERMARK: '0.9', AUTOSCALE_LOW_WATERMARK: '0.2', MINIMUM_ACTIVE_MACHINES: '3', AUTOSCALE_COOLDOWN_SECONDS: '60', AUTOSCALE_NODE_CAPACITY: '150', AUTOSCALE_INTERVAL_MS: '5000' });
  t.same(config.autoscale, { highWatermark: 0.9, lowWatermark: 0.2, minimumNodes: 3, cooldownMs: 60_000, participantsPerNode: 150 });
  t.equal(config.autoscaleIntervalMs, 5000);
  t.equal(config.autoscaleWebhook, undefined);
  t.same(loadConfig({ AUTOSCALE_WEBHOOK_URL: 'https://scaler.example.com/hook', AUTOSCALE_WEBHOOK_SECRET: 'sixteen-chars-at-least' }).autoscaleWebhook, { url: 'https://scaler.example.com/hook', secret: 'sixteen-chars-at-least' });
});

t.test('AUTOSCALE_* / a wrong value stops the start naming the variable', async (t) => {
  t.throws(() => loadConfig({ AUTOSCALE_LOW_WATERMARK: '0.8' }), { name: ConfigError.name, message: /^AUTOSCALE_LOW_WATERMARK: 0.8 must be less than AUTOSCALE_HIGH_WATERMARK/ });
  t.throws(() => loadConfig({ AUTOSCALE_HIGH_WATERMARK: '1.5' }), { name: ConfigError.name, message: /^AUTOSCALE_HIGH_WATERMARK/ });
  t.same(loadConfig({ AUTOSCALE_WEBHOOK_URL: 'https://scaler.example.com/hook' }).autoscaleWebhook, { url: 'https://scaler.example.com/hook', secret: undefined }, 'no secret of its own: signed with the callbacks’ key');
  t.throws(() => loadConfig({ AUTOSCALE_WEBHOOK_URL: 'ftp://x', AUTOSCALE_WEBHOOK_SECRET: 'sixteen-chars-at-least' }), { name: ConfigError.name, message: /^AUTOSCALE_WEBHOOK_URL/ });
});
