import t, { type Test } from 'tap';
import { compose, type Composed } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { NodeHealthChanged } from '../../src/domain/node/events.js';
import type { RecordedEvent } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { BbbNodeSimulator, type SimulatorFault } from '../../src/simulator/bbbNodeSimulator.js';
import { adminToken, ADMIN_SECRET, call, serve } from '../support/httpHarness.js';
import { eventually } from '../support/eventually.js';

const DEADLINE_MS = 30_000;

/** The app as main.ts composes it, polling fast: fail after 3, recover after 5, as by default. */
async function startApp(t: Test): Promise<{ base: string; composed: Composed; token: string }> {
  const config = loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, POLL_INTERVAL_MS: '100', POLL_TIMEOUT_MS: '300' });
  const composed = await compose(config, silentLogger);
  await composed.start();
  t.teardown(() => composed.stop());
  return { base: await serve(t, composed.requestListener), composed, token: await adminToken() };
}

async function simulator(t: Test, secret: string): Promise<BbbNodeSimulator> {
  const sim = await new BbbNodeSimulator({ secret }).start();
  t.teardown(() => sim.stop());
  return sim;
}

async function healthChanges(composed: Composed, nodeId: string): Promise<Array<NodeHealthChanged['data'] & { actor: string }>> {
  const changes: Array<NodeHealthChanged['data'] & { actor: string }> = [];
  for await (const event of composed.store.readStream(`node-${nodeId}`) as AsyncIterable<RecordedEvent>) {
    if (event.type === 'NodeHealthChanged') changes.push({ ...(event.data as NodeHealthChanged['data']), actor: event.metadata.actor });
  }
  return changes;
}

t.test('node health against real simulators', async (t) => {
  const { base, composed, token } = await startApp(t);
  const register = async (sim: BbbNodeSimulator, secret = sim.secret): Promise<string> => {
    const res = await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: sim.apiUrl, secret, checksumAlgorithm: 'sha512' } });
    t.equal(res.status, 201);
    return String(res.body?.id);
  };
  const healthOf = async (id: string) => (await call(base, `/admin/api/v1/nodes/${id}`, { token })).body?.health;
  const reaches = (id: string, health: string) => eventually(`${id} ${health}`, async () => (await healthOf(id)) === health, DEADLINE_MS);

  t.test('a brand-new node becomes available after its first probe, in the list and in the directory', async (t) => {
    const sim = await simulator(t, 'fresh-secret');
    const id = await register(sim);
    await reaches(id, 'available');
    t.equal(composed.nodeDirectory.get(id)?.health, 'available');
    t.match(sim.calls[0], { call: 'getMeetings', rawQuery: /^checksum=[0-9a-f]{128}$/ }, 'signed with the registered algorithm');
    t.match(await healthChanges(composed, id), [{ health: 'available', previous: 'unknown', reason: 'probeSucceeded', actor: 'saga:nodeHealth' }]);
  });

  const faults: [string, SimulatorFault, string][] = [
    ['hangs', { kind: 'hang' }, 'timeout'],
    ['resets connections', { kind: 'reset' }, 'connection'],
    ['answers HTML', { kind: 'html' }, 'badXml'],
  ];
  for (const [what, fault, reason] of faults) {
    t.test(`a node that ${what} goes unstable, then offline; recovers after 5 good probes; one event per change only`, async (t) => {
      const sim = await simulator(t, `secret-${fault.kind}`);
      const id = await register(sim);
      await reaches(id, 'available');
      sim.fault = fault;
      await reaches(id, 'offline');
      t.equal(composed.nodeDirectory.get(id)?.health, 'offline', 'placement sees it offline');
      sim.fault = { kind: 'none' };
      await reaches(id, 'available');
      const changes = await healthChanges(composed, id);
      t.match(changes, [
        { health: 'available', previous: 'unknown', reason: 'probeSucceeded' },
        { health: 'unstable', previous: 'available', reason },
        { health: 'offline', previous: 'unstable', reason },
        { health: 'available', previous: 'offline', reason: 'probeSucceeded', detail: '5 consecutive successful probe(s)' },
      ]);
      t.equal(changes.length, 4, 'the other probes left no trace in the log');
      // The simulator records only the calls it answered: at least the first and the five good ones.
      t.ok(sim.calls.length >= 6, `the node answered ${sim.calls.length} probes`);
    });
  }

  t.test('a node registered with the wrong secret goes offline with checksumError, never available', async (t) => {
    const sim = await simulator(t, 'the-real-secret');
    const id = await register(sim, 'a-wrong-secret');
    await reaches(id, 'offline');
    t.match(await healthChanges(composed, id), [{ health: 'offline', previous: 'unknown', reason: 'checksumError' }]);
  });

  t.test('a killed node goes offline and comes back after a restart', async (t) => {
    const sim = await simulator(t, 'kill-secret');
    const id = await register(sim);
    await reaches(id, 'available');
    await sim.kill();
    await reaches(id, 'offline');
    await sim.restart();
    await reaches(id, 'available');
    t.match((await healthChanges(composed, id)).map((c) => c.reason), ['probeSucceeded', 'connection', 'connection', 'probeSucceeded']);
  });

  t.test('a decommissioned node is no longer probed', async (t) => {
    const sim = await simulator(t, 'decommission-secret');
    const id = await register(sim);
    await reaches(id, 'available');
    t.equal((await call(base, `/admin/api/v1/nodes/${id}/decommission`, { method: 'POST', token })).status, 200);
    // A probe may have been in flight: let it end, then expect silence over many intervals.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const probes = sim.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    t.equal(sim.calls.length, probes);
  });
});
