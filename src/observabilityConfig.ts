import { allowList } from './metrics/metricsAccess.js';
import type { MetricsConfig } from './metrics/observability.js';
import type { AutoscalePolicy } from './domain/autoscale/recommend.js';
import { ConfigError, decimal, integer, url, type EnvValue } from './configValues.js';

export function metricsConfig(value: EnvValue): MetricsConfig {
  const enabled = value('METRICS_ENABLED') ?? 'true';
  if (enabled !== 'true' && enabled !== 'false') throw new ConfigError('METRICS_ENABLED', `"${enabled}" must be true or false`);
  const token = value('METRICS_TOKEN');
  // Any length is the operator's choice (the README asks for a long random one); an empty value reads as unset.
  const raw = value('METRICS_ALLOW');
  const allow = raw === undefined ? (token === undefined ? ['127.0.0.1', '::1'] : []) : raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
  try {
    allowList(allow);
  } catch (error) {
    throw new ConfigError('METRICS_ALLOW', error instanceof Error ? error.message : String(error));
  }
  return { enabled: enabled === 'true', token, allow };
}

export function autoscalePolicy(value: EnvValue): AutoscalePolicy {
  const highWatermark = decimal('AUTOSCALE_HIGH_WATERMARK', value('AUTOSCALE_HIGH_WATERMARK'), 0.8, 0, 1);
  const lowWatermark = decimal('AUTOSCALE_LOW_WATERMARK', value('AUTOSCALE_LOW_WATERMARK'), 0.3, 0, 1);
  if (lowWatermark >= highWatermark) throw new ConfigError('AUTOSCALE_LOW_WATERMARK', `${lowWatermark} must be less than AUTOSCALE_HIGH_WATERMARK (${highWatermark})`);
  return {
    highWatermark,
    lowWatermark,
    minimumNodes: integer('MINIMUM_ACTIVE_MACHINES', value('MINIMUM_ACTIVE_MACHINES'), 1, 0, 10_000),
    cooldownMs: integer('AUTOSCALE_COOLDOWN_SECONDS', value('AUTOSCALE_COOLDOWN_SECONDS'), 600, 0, 86_400) * 1000,
    participantsPerNode: integer('AUTOSCALE_NODE_CAPACITY', value('AUTOSCALE_NODE_CAPACITY'), 200, 1, 1_000_000),
  };
}

/** The webhook's URL, and its own signing key if one is set (else processSet.ts signs with the callbacks' key). */
export type AutoscaleWebhookSetting = { url: string; secret: string | undefined };

export function autoscaleWebhook(value: EnvValue): AutoscaleWebhookSetting | undefined {
  const target = url('AUTOSCALE_WEBHOOK_URL', value('AUTOSCALE_WEBHOOK_URL'), ['http:', 'https:']);
  const secret = value('AUTOSCALE_WEBHOOK_SECRET');
  if (target === undefined) return undefined;
  return { url: target, secret };
}
