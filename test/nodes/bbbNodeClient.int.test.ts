import t from 'tap';
import { createBbbNodeClient, type NodeAddress } from '../../src/nodes/bbbNodeClient.js';
import { BbbNodeSimulator, type SimulatorFault } from '../../src/simulator/bbbNodeSimulator.js';

const simulator = await new BbbNodeSimulator({ secret: 'node-secret' }).start();
t.teardown(() => simulator.stop());
const client = createBbbNodeClient({ timeoutMs: 500 });
const node = (overrides: Partial<NodeAddress> = {}): NodeAddress => ({
  id: 'n1',
  apiUrl: simulator.apiUrl,
  secret: 'node-secret',
  checksumAlgorithm: 'sha256',
  ...overrides,
});
t.afterEach(() => {
  simulator.fault = { kind: 'none' };
});

t.test('a healthy node / answers its XML and the parsed document, signed with every algorithm', async (t) => {
  for (const checksumAlgorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
    const result = await client.call(node({ checksumAlgorithm }), 'create', [['name', 'Room & "1"'], ['meetingID', `m-${checksumAlgorithm}`]]);
    t.equal(result.kind, 'ok', checksumAlgorithm);
    if (result.kind !== 'ok') continue;
    t.equal(result.doc.returncode, 'SUCCESS');
    t.match(result.xml, `<meetingID>m-${checksumAlgorithm}</meetingID>`);
  }
  t.equal(simulator.meetings.get('m-sha1')?.meetingName, 'Room & "1"', 'parameters arrive decoded as sent');
});

t.test('a FAILED answer other than checksumError / is still a BBB answer for the caller to judge', async (t) => {
  const result = await client.call(node(), 'getMeetingInfo', [['meetingID', 'nope']]);
  t.match(result, { kind: 'ok', doc: { returncode: 'FAILED', messageKey: 'notFound' } });
});

t.test('an XML body / is POSTed byte for byte with its content type, parameters in the query', async (t) => {
  const body = Buffer.from('<?xml version="1.0"?>\r\n<modules><module name="presentation"><document name="x.pdf">JVBERi0=</document></module></modules>');
  const result = await client.call(node(), 'create', [['name', 'Docs'], ['meetingID', 'docs']], { body: { bytes: body, contentType: 'application/xml' } });
  t.equal(result.kind, 'ok');
  const recorded = simulator.calls.at(-1);
  t.match(recorded, { call: 'create', method: 'POST' });
  t.equal(recorded?.body, body.toString('utf8'));
  t.equal(simulator.meetings.get('docs')?.createBody, body.toString('utf8'));
});

const faults: Array<[SimulatorFault, string]> = [
  [{ kind: 'status', code: 503 }, 'http'],
  [{ kind: 'html' }, 'badXml'],
  [{ kind: 'garbage' }, 'badXml'],
  [{ kind: 'truncated' }, 'badXml'],
  [{ kind: 'wrongSecret' }, 'checksumError'],
  [{ kind: 'reset' }, 'connection'],
  [{ kind: 'hang' }, 'timeout'],
];
for (const [fault, reason] of faults) {
  t.test(`a node answering with fault ${fault.kind} / fails with reason ${reason}, never throws`, async (t) => {
    simulator.fault = fault;
    const result = await client.call(node(), 'getMeetings', []);
    t.match(result, { kind: 'failed', reason });
    if (result.kind === 'failed') t.type(result.detail, 'string');
  });
}

t.test('a node with a different secret than registered / fails with checksumError', async (t) => {
  t.match(await client.call(node({ secret: 'stale' }), 'getMeetings', []), { kind: 'failed', reason: 'checksumError' });
});

t.test('a node that is down / fails with connection', async (t) => {
  const down = await new BbbNodeSimulator({ secret: 's' }).start();
  const apiUrl = down.apiUrl;
  await down.kill();
  t.match(await client.call(node({ apiUrl, secret: 's' }), 'getMeetings', []), { kind: 'failed', reason: 'connection' });
});

t.test('a redirect from a node / is an http failure, not followed', async (t) => {
  simulator.meetings.clear();
  await client.call(node(), 'create', [['name', 'R'], ['meetingID', 'redir']]);
  const result = await client.call(node(), 'join', [['meetingID', 'redir'], ['fullName', 'A'], ['role', 'VIEWER']]);
  t.match(result, { kind: 'failed', reason: 'http', detail: 'HTTP 302' });
});
