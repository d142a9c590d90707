import t, { type Test } from 'tap';
import { firstValueFrom } from 'rxjs';
import type { ChecksumAlgorithm } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator, type SimulatorFault } from '../../src/simulator/bbbNodeSimulator.js';
import { newMeeting } from '../../src/simulator/simulatedMeetings.js';
import { httpNodeProber, probeNode, type ProbeTarget } from '../../src/sagas/nodeProber.js';

const SECRET = 'probe-secret-probe-secret';
const TIMEOUT_MS = 300;

async function simulator(t: Test): Promise<BbbNodeSimulator> {
  const sim = await new BbbNodeSimulator({ secret: SECRET }).start();
  t.teardown(() => sim.stop());
  return sim;
}

const target = (sim: BbbNodeSimulator, overrides: Partial<ProbeTarget> = {}): ProbeTarget => ({
  nodeId: 'n1',
  apiUrl: sim.apiUrl,
  secret: SECRET,
  checksumAlgorithm: 'sha256',
  loadUrl: null,
  ...overrides,
});

t.test('a healthy node / answers ok with its meetings, signed with every algorithm', async (t) => {
  const sim = await simulator(t);
  sim.meetings.set('m1', newMeeting({ meetingID: 'm1', name: 'One' }, undefined, Date.now()));
  for (const checksumAlgorithm of ['sha1', 'sha256', 'sha384', 'sha512'] satisfies ChecksumAlgorithm[]) {
    const outcome = await probeNode(target(sim, { checksumAlgorithm }), { timeoutMs: TIMEOUT_MS });
    t.match(outcome, { ok: true, meetings: [{ meetingID: 'm1' }] }, checksumAlgorithm);
  }
  t.match(sim.calls.at(-1), { call: 'getMeetings', rawQuery: /^checksum=[0-9a-f]{128}$/ });
});

const faults: [string, SimulatorFault, string, RegExp][] = [
  ['hangs', { kind: 'hang' }, 'timeout', /no answer within 300 ms/],
  ['resets the connection', { kind: 'reset' }, 'connection', /ECONNRESET|socket|closed/i],
  ['answers HTTP 502', { kind: 'status', code: 502 }, 'http', /HTTP 502/],
  ['answers HTML', { kind: 'html' }, 'badXml', /not a BBB answer|not well-formed/],
  ['answers garbage', { kind: 'garbage' }, 'badXml', /not well-formed/],
  ['answers truncated XML', { kind: 'truncated' }, 'badXml', /not well-formed/],
  ['refuses the checksum', { kind: 'wrongSecret' }, 'checksumError', /checksumError/],
];
for (const [what, fault, reason, detail] of faults) {
  t.test(`a node that ${what} / fails with ${reason}`, async (t) => {
    const sim = await simulator(t);
    sim.fault = fault;
    t.match(await probeNode(target(sim), { timeoutMs: TIMEOUT_MS }), { ok: false, reason, detail });
  });
}

t.test('a node registered with the wrong secret / fails with checksumError', async (t) => {
  const sim = await simulator(t);
  t.match(await probeNode(target(sim, { secret: 'not-the-secret' }), { timeoutMs: TIMEOUT_MS }), { ok: false, reason: 'checksumError' });
});

t.test('a node that is down / fails with connection refused', async (t) => {
  const sim = await simulator(t);
  await sim.kill();
  t.match(await probeNode(target(sim), { timeoutMs: TIMEOUT_MS }), { ok: false, reason: 'connection', detail: 'ECONNREFUSED' });
});

t.test('the observable port / emits one outcome and completes; unsubscribing cancels the request', async (t) => {
  const sim = await simulator(t);
  const prober = httpNodeProber({ timeoutMs: TIMEOUT_MS });
  t.match(await firstValueFrom(prober(target(sim))), { ok: true, meetings: [] });
  sim.fault = { kind: 'hang' };
  const subscription = prober(target(sim)).subscribe(() => t.fail('a cancelled probe must not emit'));
  subscription.unsubscribe();
  await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
});
