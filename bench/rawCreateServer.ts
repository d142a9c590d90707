/**
 * The create baseline: the least a hand-written durable balancer must do per create — parse the query,
 * verify the checksum with the product's verifyChecksum, INSERT the meeting row (the meeting is claimed
 * before the node hears of it), forward the create to a node with the product's node client, UPDATE the
 * row with what the node answered, and relay the node's XML. No framework, no event store, no read model,
 * no placement beyond round robin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { verifyChecksum } from '../src/domain/bbb/checksum.js';
import { createBbbNodeClient, textOf, type NodeAddress } from '../src/nodes/bbbNodeClient.js';

export interface RawCreateData {
  tenant: string;
  secret: string;
  nodes: readonly NodeAddress[];
  /** A database the raw server may create its one table in. */
  databaseUrl: string;
}

const FAILED = (key: string) => `<response><returncode>FAILED</returncode><messageKey>${key}</messageKey><message>${key}</message></response>`;

export async function startRawCreateServer(data: RawCreateData): Promise<{ origin: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: data.databaseUrl, max: 10, application_name: 'raw-create-bench' });
  await pool.query(`CREATE TABLE IF NOT EXISTS raw_meetings (
    meeting_id text PRIMARY KEY, node_url text NOT NULL, internal_meeting_id text, created_at timestamptz NOT NULL DEFAULT now())`);
  const nodeClient = createBbbNodeClient();
  const prefix = `/t/${data.tenant}/bigbluebutton/api/create`;
  let next = 0;
  const handle = async (url: string): Promise<string> => {
    const q = url.indexOf('?');
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    if ((q < 0 ? url : url.slice(0, q)) !== prefix || !verifyChecksum('create', rawQuery, [data.secret]).ok) return FAILED('checksumError');
    const params = new URLSearchParams(rawQuery);
    params.delete('checksum');
    const meetingID = params.get('meetingID') ?? '';
    const node = data.nodes[next++ % data.nodes.length]!;
    // ON CONFLICT: a repeated create goes to the node it went to before, as the product's does.
    const { rows } = await pool.query<{ node_url: string }>(
      `INSERT INTO raw_meetings (meeting_id, node_url) VALUES ($1, $2)
       ON CONFLICT (meeting_id) DO UPDATE SET meeting_id = EXCLUDED.meeting_id RETURNING node_url`,
      [`${data.tenant}/${meetingID}`, node.apiUrl],
    );
    const target = data.nodes.find((n) => n.apiUrl === rows[0]!.node_url) ?? node;
    const result = await nodeClient.call(target, 'create', [...params]);
    if (result.kind === 'failed') return FAILED('internalError');
    await pool.query('UPDATE raw_meetings SET internal_meeting_id = $2 WHERE meeting_id = $1', [`${data.tenant}/${meetingID}`, textOf(result.doc, 'internalMeetingID') ?? null]);
    return result.xml;
  };
  const server: Server = createServer((req, res) => {
    handle(req.url ?? '').then(
      (xml) => {
        res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8', 'cache-control': 'no-cache' });
        res.end(xml);
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
