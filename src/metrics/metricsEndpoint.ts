import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging.js';
import type { AccessVerdict } from './metricsAccess.js';
import { wantsOpenMetrics, type Exposition } from './exposition.js';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpointDeps {
  access(authorization: string | undefined, remoteAddress: string | undefined): AccessVerdict;
  render(openMetrics: boolean): Promise<Exposition>;
  logger: Logger;
}

const REFUSALS = {
  unauthorized: { status: 401, text: 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>\n' },
  forbidden: { status: 403, text: 'This address may not scrape; add it (or its range) to METRICS_ALLOW, or use METRICS_TOKEN\n' },
} as const;

/**
 * `GET /metrics`, answered in front of Koa (node:http, like the BBB fast paths): scrapes must not pay Koa's
 * middleware nor count as BBB requests. Any other path is left to the next handler (false).
 */
export function metricsEndpoint(deps: MetricsEndpointDeps) {
  return async function metricsPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = req.url ?? '';
    if (url !== METRICS_PATH && !url.startsWith(`${METRICS_PATH}?`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics\n');
      return true;
    }
    const verdict = deps.access(req.headers.authorization, req.socket.remoteAddress);
    if (verdict !== 'allowed') {
      const refusal = REFUSALS[verdict];
      const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
      if (verdict === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer realm="metrics"';
      res.writeHead(refusal.status, headers).end(refusal.text);
      return true;
    }
    try {
      const { contentType, body } = await deps.render(wantsOpenMetrics(req.headers.accept));
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      deps.logger.error({ err: error }, 'rendering /metrics failed');
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Rendering the metrics failed; the error has been logged\n');
    }
    return true;
  };
}
