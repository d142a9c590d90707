import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { explainHeaderOverflow } from '../../src/http/headerOverflow.js';

async function served(t: Test) {
  const server = createServer((_req, res) => res.end('routed'));
  explainHeaderOverflow(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

const raw = (port: number, request: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

// Issue 13, Bad input: "getRecordings with a 10,000-entry ID list: rejected … with a clear reason; never a 500".
t.test('a BBB call whose query is past Node’s header limit / sent / 431 with BBB XML saying to POST it instead', async (t) => {
  const port = await served(t);
  const ids = Array.from({ length: 10_000 }, (_, i) => `${i.toString(16).padStart(40, '0')}-1700000000000`).join(',');
  const response = await fetch(`http://127.0.0.1:${port}/t/acme/bigbluebutton/api/getRecordings?recordID=${ids}&checksum=x`);
  t.equal(response.status, 431);
  t.match(response.headers.get('content-type'), /^text\/xml/);
  const body = await response.text();
  t.match(body, /<returncode>FAILED<\/returncode>/);
  t.match(body, /<messageKey>validationError<\/messageKey>/);
  t.match(body, /POST/, 'says what to do instead');
});

t.test('other malformed requests / sent / answered as Node’s default would, and normal ones still routed', async (t) => {
  const port = await served(t);
  t.match(await raw(port, 'NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
  t.equal(await (await fetch(`http://127.0.0.1:${port}/health`)).text(), 'routed');
});
