import { createHmac } from 'node:crypto';
import { abortableSleep } from '../abortableSleep.js';
import type { Logger } from '../logging.js';

/** `AUTOSCALE_WEBHOOK_URL` and the key its deliveries are signed with (`AUTOSCALE_WEBHOOK_SECRET`). */
export interface AutoscaleWebhookConfig {
  url: string;
  secret: string;
}

export const SIGNATURE_HEADER = 'X-BBB-Ledger-Signature';
const ATTEMPTS = 3;
const TIMEOUT_MS = 5000;

/** `sha256=<hex HMAC-SHA256 of the body>`, as GitHub signs webhooks: the receiver recomputes and compares. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs the JSON once, retried twice on a failure or a non-2xx answer (1 s, then 2 s apart). Never throws:
 * an autoscaler that missed a change gets the next one, and the event stays in the log.
 */
export async function deliverRecommendation(config: AutoscaleWebhookConfig, eventId: string, payload: unknown, logger: Logger, signal?: AbortSignal): Promise<boolean> {
  const body = JSON.stringify(payload);
  const headers = { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(body, config.secret), 'X-BBB-Ledger-Event-Id': eventId };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) return true;
      logger.warn({ eventId, status: response.status, attempt }, `autoscale webhook answered ${response.status}`);
    } catch (error) {
      logger.warn({ eventId, err: error, attempt }, 'autoscale webhook unreachable');
    }
    if (attempt < ATTEMPTS) await abortableSleep(1000 * attempt, signal);
    if (signal?.aborted) break;
  }
  return false;
}
