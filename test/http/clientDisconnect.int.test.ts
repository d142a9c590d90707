import { connect } from 'node:net';
import t from 'tap';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { CLIENT_WENT_AWAY } from '../../src/http/clientGone.js';
import { captureLogger, WARN } from '../eventstore/captureLogger.js';
import { ADMIN_SECRET, adminToken, call, serve } from '../support/httpHarness.js';

/** A client that hangs up halfway through its request body is logged at debug, never as an error. */
const capture = captureLogger();
const composed = await compose(loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET }), capture.logger);
await composed.start();
t.teardown(() => composed.stop());
const base = await serve(t, composed.requestListener);
const token = await adminToken();
const SECRET = 'acme-secret-for-the-disconnect-test';
await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRET] } });
const { port } = new URL(base);

/** Sends the head and part of a body it announced as longer, then closes the connection. */
async function hangUpMidBody(head: string): Promise<void> {
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`${head}Content-Length: 100000\r\nConnection: close\r\n\r\n${'a=b&'.repeat(100)}`);
  await new Promise((r) => setTimeout(r, 100));
  socket.destroy();
}

t.test('a BBB create posted halfway / is no error', async (t) => {
  const before = capture.lines.length;
  const query = signedQuery('create', [['name', 'Room'], ['meetingID', 'r1']], SECRET, 'sha256');
  await hangUpMidBody(`POST /t/acme/bigbluebutton/api/create?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n`);
  await capture.waitFor((l) => l.msg === CLIENT_WENT_AWAY && capture.lines.indexOf(l) >= before);
  t.same(capture.lines.slice(before).filter((l) => l.level >= WARN).map((l) => l.msg), []);
});

t.test('an admin JSON body posted halfway / is no error', async (t) => {
  const before = capture.lines.length;
  await hangUpMidBody(`POST /admin/api/v1/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n`);
  await capture.waitFor((l) => l.msg === CLIENT_WENT_AWAY && capture.lines.indexOf(l) >= before);
  t.same(capture.lines.slice(before).filter((l) => l.level >= WARN).map((l) => l.msg), []);
  t.equal((await call(base, '/health')).status, 200, 'and the server goes on');
});
