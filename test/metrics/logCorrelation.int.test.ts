import { Writable } from 'node:stream';
import t from 'tap';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { createLogger } from '../../src/logging.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../support/eventually.js';
import { ADMIN_SECRET, adminToken, call, serve } from '../support/httpHarness.js';

t.test('when a create is logged / its request id and correlation id are the MeetingCreated event\'s correlation id', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const node = await new BbbNodeSimulator({ secret: 'node-secret-for-logs' }).start();
  t.teardown(() => node.stop());
  const composed = await compose(loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100' }), createLogger('debug', sink));
  await composed.start();
  t.teardown(() => composed.stop());
  const base = await serve(t, composed.requestListener);
  const token = await adminToken();
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: ['acme-secret-for-the-log-test'] } });
  await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1, checksumAlgorithm: 'sha256' } });
  await eventually('the node is available', () => composed.nodeDirectory.nodesForPlacement().some((n) => n.health === 'available'));

  const query = signedQuery('create', [['meetingID', 'm1'], ['name', 'Room']], 'acme-secret-for-the-log-test', 'sha256');
  const response = await fetch(`${base}/t/acme/bigbluebutton/api/create?${query}`, { headers: { 'X-Request-Id': 'req-create-42' } });
  t.match(await response.text(), /SUCCESS/);
  t.equal(response.headers.get('x-request-id'), 'req-create-42');

  const created = [];
  for await (const event of composed.store.readAll()) if (event.type === 'MeetingCreated') created.push(event);
  t.equal(created[0]?.metadata.correlationId, 'req-create-42', 'the event carries the request id as correlation id');
  const logged = lines.find((l) => l.call === 'create');
  t.match(logged, { requestId: 'req-create-42', correlationId: 'req-create-42', outcome: 'success', tenant: 'acme' });
});
