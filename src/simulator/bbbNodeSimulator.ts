import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorResponse } from '../domain/bbb/responses.js';
import { verifyChecksum } from '../domain/bbb/checksum.js';
import { answer, type SimulatorReply } from './simulatorApi.js';
import type { SimulatedMeeting } from './simulatedMeetings.js';

/** How the simulated node misbehaves, to test what the balancer does with a sick node. */
export type SimulatorFault =
  | { kind: 'none' }
  | { kind: 'status'; code: number }
  | { kind: 'html' }
  | { kind: 'garbage' }
  | { kind: 'truncated' }
  | { kind: 'wrongSecret' }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface SimulatorOptions {
  secret: string;
  port?: number;
  host?: string;
  /** Milliseconds every answer is held back. */
  delayMs?: number;
}

export interface RecordedCall {
  call: string;
  method: string;
  rawQuery: string;
  body: string | undefined;
}

const MAX_BODY = 10 * 1024 * 1024;

/**
 * A BBB node over real HTTP: validates checksums with its own secret like bbb-web, keeps meetings and
 * participants, and can be slowed, made to fail, or killed and restarted on the same port.
 */
export class BbbNodeSimulator {
  readonly meetings = new Map<string, SimulatedMeeting>();
  readonly calls: RecordedCall[] = [];
  readonly joinedSessions: string[] = [];
  /** Every request by path, API or not (a load endpoint a balancer asks, say), for tests that tell callers apart. */
  readonly requestsByPath = new Map<string, number>();
  fault: SimulatorFault = { kind: 'none' };
  delayMs: number;
  /** 0–1; when set, `/b3lb/load` answers it as B3LB's b3lb-load does (utilisation × 10000, plain text). */
  cpu: number | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port: number;

  constructor(private readonly options: SimulatorOptions) {
    this.port = options.port ?? 0;
    this.delayMs = options.delayMs ?? 0;
  }

  get secret(): string {
    return this.options.secret;
  }

  get origin(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** The URL a balancer registers: `http://host:port/bigbluebutton/api/`. */
  get apiUrl(): string {
    return `${this.origin}/bigbluebutton/api/`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
    return this;
  }

  /** Stops answering at once, dropping open connections, as a crashed node would. Meetings are kept. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Comes back on the same port; `forgetMeetings` simulates a node that restarted and lost its state. */
  async restart(options: { forgetMeetings?: boolean } = {}): Promise<void> {
    if (options.forgetMeetings) this.meetings.clear();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    this.requestsByPath.set(url.pathname, (this.requestsByPath.get(url.pathname) ?? 0) + 1);
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    let body: string | undefined;
    try {
      body = await readBody(req);
    } catch {
      return this.send(res, { status: 413, headers: {}, body: '' });
    }
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const fault = this.fault;
    if (fault.kind === 'hang') return;
    if (fault.kind === 'reset') return void req.socket.destroy();
    if (url.pathname === '/b3lb/load' && this.cpu !== undefined) {
      return this.send(res, { status: 200, headers: { 'content-type': 'text/plain' }, body: `${Math.round(this.cpu * 10_000)}\n` });
    }
    if (url.pathname === '/html5client/join') {
      this.joinedSessions.push(url.searchParams.get('sessionToken') ?? '');
      return this.send(res, { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>BBB client</body></html>' });
    }
    const match = /^\/bigbluebutton\/api\/?([A-Za-z]*)$/.exec(url.pathname);
    if (!match) return this.send(res, { status: 404, headers: { 'content-type': 'text/html' }, body: 'Not Found' });
    const call = match[1] ?? '';
    this.calls.push({ call, method: req.method ?? 'GET', rawQuery, body });
    const faulty = faultReply(fault);
    if (faulty) return this.send(res, faulty);
    if (call !== '' && !verifyChecksum(call, rawQuery, [this.options.secret]).ok) {
      return this.send(res, xmlReply(errorResponse('checksumError', 'Checksums do not match')));
    }
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in params)) params[k] = v;
    // bbb-web (Grails) merges a form body's parameters after the query's; such a body is no document.
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    if (form && body !== undefined) for (const [k, v] of new URLSearchParams(body)) if (!(k in params)) params[k] = v;
    this.send(res, answer(this.meetings, { call, method: req.method ?? 'GET', params, body: form ? undefined : body, origin: this.origin, now: Date.now() }));
  }

  private send(res: ServerResponse, reply: SimulatorReply): void {
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }
}

function faultReply(fault: SimulatorFault): SimulatorReply | undefined {
  switch (fault.kind) {
    case 'status':
      return { status: fault.code, headers: { 'content-type': 'text/html' }, body: `<html><body>${fault.code}</body></html>` };
    case 'html':
      return { status: 200, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>' };
    case 'garbage':
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: '}{ this is not xml <<<' };
    case 'truncated':
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: '<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>tr' };
    case 'wrongSecret':
      return xmlReply(errorResponse('checksumError', 'Checksums do not match'));
    default:
      return undefined;
  }
}

function xmlReply(body: string): SimulatorReply {
  return { status: 200, headers: { 'content-type': 'text/xml;charset=utf-8' }, body };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return size > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}
