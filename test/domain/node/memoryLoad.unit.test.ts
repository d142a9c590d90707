import t from 'tap';
import { decodeEvent } from '../../../src/domain/eventCatalogue.js';
import { DEFAULT_LOAD_MATERIALITY, isMaterialLoadChange, nodeLoadOf, parseNodeResources } from '../../../src/domain/node/load.js';
import { DEFAULT_LOAD_WEIGHTS } from '../../../src/domain/placement/loadDefaults.js';
import { loadBreakdown } from '../../../src/domain/placement/loadModel.js';
import { storedEvent } from '../../support/events.js';

const node = { id: 'n1', apiUrl: 'http://n1/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256' as const, adminState: 'enabled' as const, health: 'available' as const, meetings: 0, participants: 0, loadFactor: 1, tags: [] };

t.test('the agent\'s JSON gives CPU and memory; B3LB\'s plain number gives CPU only', async (t) => {
  t.same(parseNodeResources('{"cpu":0.42,"memory":0.63}', 10_000), { cpu: 0.42, memory: 0.63 });
  t.same(parseNodeResources('{"cpu":0.42}', 10_000), { cpu: 0.42, memory: null });
  t.same(parseNodeResources('4200', 10_000), { cpu: 0.42, memory: null });
  t.same(parseNodeResources('<html>', 10_000), { cpu: null, memory: null });
});

t.test('when memory is busier than CPU / the load model counts memory', async (t) => {
  const cpuOnly = loadBreakdown({ ...node, cpu: 0.2 }, DEFAULT_LOAD_WEIGHTS, 0);
  const withMemory = loadBreakdown({ ...node, cpu: 0.2, memory: 0.9 }, DEFAULT_LOAD_WEIGHTS, 0);
  const memoryOnly = loadBreakdown({ ...node, cpu: 0.9 }, DEFAULT_LOAD_WEIGHTS, 0);
  t.ok(withMemory.cpu > cpuOnly.cpu);
  t.equal(withMemory.cpu, memoryOnly.cpu, 'the busier share is the one counted');
  t.equal(loadBreakdown({ ...node, cpu: 0.5, memory: 0.1 }, DEFAULT_LOAD_WEIGHTS, 0).cpu, loadBreakdown({ ...node, cpu: 0.5 }, DEFAULT_LOAD_WEIGHTS, 0).cpu);
  t.equal(loadBreakdown({ ...node, cpu: null, memory: 0.5 }, DEFAULT_LOAD_WEIGHTS, 0).cpu, loadBreakdown({ ...node, cpu: 0.5 }, DEFAULT_LOAD_WEIGHTS, 0).cpu, 'memory without CPU still counts');
});

t.test('a memory move of cpuPoints is material; gaining the figure is too', async (t) => {
  const before = nodeLoadOf([], 0.3, 0.5);
  t.notOk(isMaterialLoadChange(before, nodeLoadOf([], 0.3, 0.55), DEFAULT_LOAD_MATERIALITY));
  t.ok(isMaterialLoadChange(before, nodeLoadOf([], 0.3, 0.6), DEFAULT_LOAD_MATERIALITY));
  t.ok(isMaterialLoadChange(nodeLoadOf([], 0.3), before, DEFAULT_LOAD_MATERIALITY));
  t.notOk('memory' in nodeLoadOf([], 0.3), 'no memory figure: the event has no memory field');
});

t.test('a NodeLoadReported with memory reads back with it; one without, without', async (t) => {
  const data = { nodeId: 'n1', meetings: 1, participants: 3, voice: 1, video: 0, breakoutMeetings: 0, cpu: 0.3 };
  const stored = (d: object) => storedEvent('NodeLoadReported', d, { streamId: 'node-n1', revision: 1n, schemaVersion: 1 });
  t.same(decodeEvent(stored({ ...data, memory: 0.7 })), { type: 'NodeLoadReported', data: { ...data, memory: 0.7 } });
  t.same(decodeEvent(stored(data)), { type: 'NodeLoadReported', data });
});
