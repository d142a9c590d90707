/**
 * The baseline: the least a hand-written `node:http` server must do per request to answer join and
 * getMeetings for one tenant — parse the query, verify the checksum with the product's verifyChecksum,
 * look the meeting up in a Map, and answer the 302 to the re-signed node URL (or render the meeting list
 * with the product's XML renderer). No framework, no event store, no read model.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedApiUrl } from '../src/domain/bbb/apiUrl.js';
import { verifyChecksum } from '../src/domain/bbb/checksum.js';
import { meetingsResponse, type BbbMeeting } from '../src/domain/bbb/responses.js';
import type { NodeAddress } from '../src/nodes/bbbNodeClient.js';

export interface RawRoute {
  nodeMeetingID: string;
  node: NodeAddress;
}

export interface RawBbbData {
  tenant: string;
  secret: string;
  /** Client meetingID → where it runs. */
  routes: ReadonlyMap<string, RawRoute>;
  meetings: readonly BbbMeeting[];
}

export async function startRawBbbServer(data: RawBbbData): Promise<{ origin: string; close(): Promise<void> }> {
  const prefix = `/t/${data.tenant}/bigbluebutton/api/`;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const call = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const xml = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8', 'cache-control': 'no-cache' });
      res.end(body);
    };
    if (!verifyChecksum(call, rawQuery, [data.secret]).ok) {
      return xml('<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey><message>Checksums do not match</message></response>');
    }
    const params = new URLSearchParams(rawQuery);
    params.delete('checksum');
    if (call === 'getMeetings') return xml(meetingsResponse([...data.meetings]));
    const route = call === 'join' ? data.routes.get(params.get('meetingID') ?? '') : undefined;
    if (!route) return xml('<response><returncode>FAILED</returncode><messageKey>notFound</messageKey><message>not found</message></response>');
    const forwarded = [...params].map(([k, v]): [string, string] => [k, k === 'meetingID' ? route.nodeMeetingID : v]);
    res.writeHead(302, { location: signedApiUrl(route.node.apiUrl, 'join', forwarded, route.node.secret, route.node.checksumAlgorithm), 'cache-control': 'no-cache' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
