import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { compose, type Composed } from '../../../src/compose.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logging.js';
import { BbbNodeSimulator } from '../../../src/simulator/bbbNodeSimulator.js';
import { ADMIN_SECRET, adminToken, call as adminCall } from '../../support/httpHarness.js';
import { eventually } from '../../support/eventually.js';

/**
 * One composed product served twice: with the node:http fast paths in front of Koa, and by Koa alone, so a
 * parity test sends every request to both and compares status, headers (names, order, values) and body.
 */
export const BASE_DOMAIN = 'lb.test';

export interface Exchange {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  /** Raw header names and values in the order sent; Date dropped, a generated request id masked. */
  headers: string[];
  body: string;
}

export interface ParityProduct {
  composed: Composed;
  withFastPath: number;
  koaOnly: number;
  /** Admin API calls as an admin, through Koa. */
  admin(path: string, body: unknown): Promise<unknown>;
  send(port: number, exchange: Exchange): Promise<Answer>;
  /** The answer of the product with the fast paths, and whether a fast path gave it. */
  sendFast(exchange: Exchange): Promise<{ answer: Answer; fast: boolean }>;
}

/**
 * Starts the product with simulated nodes (one per entry, signed with that algorithm; absent = the default)
 * and waits until every node is available. `maskBody` hides what differs between two identical requests.
 */
export async function startParityProduct(
  t: Test,
  options: { nodeAlgorithms: Array<string | undefined>; maskBody?: (body: string) => string; bodyEncoding?: BufferEncoding },
): Promise<ParityProduct> {
  const composed = await compose(
    loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, BASE_DOMAIN, POLL_INTERVAL_MS: '100', HEALTH_RECOVER_THRESHOLD: '1' }),
    silentLogger,
  );
  const nodes = await Promise.all(options.nodeAlgorithms.map((a, i) => new BbbNodeSimulator({ secret: `parity-node-${i}-${a ?? 'default'}` }).start()));
  await composed.start();
  let fastAnswers = 0;
  const servers: Server[] = [
    createServer((req, res) => void composed.requestListener(req, res).then((fast) => (fastAnswers += fast ? 1 : 0))),
    createServer(composed.app.callback()),
  ];
  for (const server of servers) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const [withFastPath, koaOnly] = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
  t.teardown(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await composed.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  });

  const base = `http://127.0.0.1:${koaOnly}`;
  const token = await adminToken();
  const admin = async (path: string, body: unknown) => (await adminCall(base, path, { method: 'POST', token, body })).body;
  for (const [i, node] of nodes.entries()) {
    const algorithm = options.nodeAlgorithms[i];
    await admin('/admin/api/v1/nodes', { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1, ...(algorithm ? { checksumAlgorithm: algorithm } : {}) });
  }
  await eventually('setup: the nodes to become available', () => composed.nodeDirectory.nodesForPlacement().filter((n) => n.health === 'available').length >= nodes.length, 30_000);

  const send = (port: number, exchange: Exchange) => sendRaw(port, exchange, options.bodyEncoding ?? 'utf8', options.maskBody ?? ((b) => b));
  return {
    composed,
    withFastPath,
    koaOnly,
    admin,
    send,
    async sendFast(exchange) {
      const before = fastAnswers;
      const answer = await send(withFastPath, exchange);
      return { answer, fast: fastAnswers > before };
    },
  };
}

function sendRaw(port: number, { path, method = 'GET', headers = {}, body }: Exchange, encoding: BufferEncoding, maskBody: (body: string) => string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const names = res.rawHeaders.flatMap((value, i, all) => (i % 2 === 1 || /^date$/i.test(value) ? [] : [value, all[i + 1]!]));
        const masked = names.map((v) => v.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, '<generated id>'));
        resolve({ status: res.statusCode ?? 0, headers: masked, body: maskBody(Buffer.concat(chunks).toString(encoding)) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
