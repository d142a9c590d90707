/**
 * The fleet poll at scale: BENCH_NODES (1000) nodes × BENCH_MEETINGS (20) meetings of BENCH_ATTENDEES (10)
 * participants, polled every BENCH_INTERVAL_MS (10 s) for BENCH_CYCLES (6) cycles after a first one. The real
 * prober (signed getMeetings + load endpoint, fetch), parser, fleet saga (health, load materiality,
 * reconciliation against 20k meetings of ours) on the process runtime, on the memory event store; the nodes are one fake
 * server process on a few ports (bench/fakeFleetServer.ts). Reports this process's CPU share
 * (process.cpuUsage), the poll-cycle time distribution and overlapping probes (must be 0).
 * `npm run bench:poll`.
 */
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import { DEFAULT_HEALTH_THRESHOLDS } from '../src/domain/node/health.js';
import { DEFAULT_LOAD_MATERIALITY } from '../src/domain/node/load.js';
import { MemoryEventStore } from '../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../src/logging.js';
import { processPorts } from '../src/processPorts.js';
import { fleetProcess } from '../src/sagas/fleet/fleetProcess.js';
import { httpNodeProber, type NodeProber, type ProbeOutcome } from '../src/sagas/nodeProber.js';
import { runProcess } from '../src/sagas/process/runProcess.js';
import { seedFleet } from './seedFleet.js';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 20);
const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 10);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 10_000);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 6);
const TIMEOUT_MS = 5000;

// 1. the fake fleet, in its own process
const server = spawn(process.execPath, ['--import', 'tsx', 'bench/fakeFleetServer.ts', String(NODES), String(MEETINGS), String(ATTENDEES), '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
const { ports, bytesPerAnswer } = JSON.parse(first) as { ports: number[]; bytesPerAnswer: number };

// 2. the log: nodes registered and available, 20 running meetings of ours on each
const store = new MemoryEventStore();
await seedFleet(store, NODES, MEETINGS, (n) => `http://127.0.0.1:${ports[n % ports.length]}/n${n}/bigbluebutton/api/`);

// 3. the prober, timed: per probe its start and end, and whether one of the same node was still running
const probes: Array<{ node: string; start: number; end: number; ok: boolean }> = [];
const inFlight = new Set<string>();
let overlaps = 0;
const real = httpNodeProber({ timeoutMs: TIMEOUT_MS });
const timed: NodeProber = (target) =>
  new Observable<ProbeOutcome>((subscriber) => {
    const start = performance.now();
    if (inFlight.has(target.nodeId)) overlaps++;
    inFlight.add(target.nodeId);
    const inner = real(target).subscribe({
      next: (outcome) => {
        probes.push({ node: target.nodeId, start, end: performance.now(), ok: outcome.ok });
        subscriber.next(outcome);
      },
      complete: () => subscriber.complete(),
      error: (e: unknown) => subscriber.error(e),
    });
    return () => {
      inner.unsubscribe();
      inFlight.delete(target.nodeId);
    };
  });

// 4. the fleet process on the runtime as compose.ts runs it, with a load endpoint on every node
let effects = 0;
const effectPorts = processPorts({
  store,
  logger: silentLogger,
  prober: timed,
  nodeClient: undefined as never,
  nodes: () => [],
  failover: undefined as never,
  allowPrivate: false,
  deliveryDeadlineMs: TIMEOUT_MS,
});
const saga = runProcess({
  process: fleetProcess({
    intervalMs: INTERVAL_MS,
    retryMs: Math.min(500, INTERVAL_MS),
    timeoutMs: TIMEOUT_MS,
    thresholds: DEFAULT_HEALTH_THRESHOLDS,
    materiality: DEFAULT_LOAD_MATERIALITY,
    reconcile: { graceMs: 30_000 },
    loadPath: '/b3lb/load',
    spread: process.env.BENCH_BURST !== '1',
  }),
  store,
  logger: silentLogger,
  ports: {
    ...effectPorts,
    perform: (e, context) => {
      effects++;
      return effectPorts.perform(e, context);
    },
  },
  stillHolds: () => true,
  now: () => new Date(),
});

// 5. two cycles to warm up (the first poll reports every meeting's counts), then the measured cycles
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(2 * INTERVAL_MS);
const warmEffects = effects;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
const firstMeasured = probes.length;
await sleep(INTERVAL_MS * CYCLES);
const cpu = process.cpuUsage(cpuStart);
loopDelay.disable();
const wall = performance.now() - wallStart;
await saga.stop();
server.kill();

// A cycle is every node's k-th measured probe: from the first of them starting to the last one answering.
const measured = probes.slice(firstMeasured);
const byNode = new Map<string, typeof measured>();
for (const p of measured) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
const cycleCount = Math.min(...[...byNode.values()].map((ps) => ps.length));
const times: number[] = [];
for (let k = 0; k < cycleCount; k++) {
  const kth = [...byNode.values()].map((ps) => ps[k]!);
  times.push(Math.max(...kth.map((p) => p.end)) - Math.min(...kth.map((p) => p.start)));
}
times.sort((a, b) => a - b);
const gaps = [...byNode.values()].flatMap((ps) => ps.slice(1).map((p, i) => p.start - ps[i]!.start)).sort((a, b) => a - b);
const probeTimes = measured.map((p) => p.end - p.start).sort((a, b) => a - b);
const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const share = ((cpu.user + cpu.system) / 1000 / wall) * 100;

console.log(`mode: ${process.env.BENCH_BURST === '1' ? 'burst (every node polled at the same instant)' : 'spread over the interval (as compose.ts runs it)'}`);
console.log(`poll scale: ${NODES} nodes × ${MEETINGS} meetings × ${ATTENDEES} attendees (${Math.round(bytesPerAnswer / 1024)} KiB per getMeetings), every ${INTERVAL_MS} ms, Node ${process.version}`);
console.log(`warm-up (2 cycles): ${warmEffects} effects (first counts of every meeting, a load report per node)`);
console.log(`measured ${CYCLES} cycles over ${(wall / 1000).toFixed(1)} s: ${probeTimes.length} probes, ${probes.slice(firstMeasured).filter((p) => !p.ok).length} failed, ${effects - warmEffects} effects`);
console.log(`CPU of this process: ${share.toFixed(1)} % of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s)`);
console.log(`poll-cycle time (every node's k-th probe, first start → last answer), ${times.length} cycles: min ${times[0]?.toFixed(0)} ms, p50 ${pct(times, 0.5).toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms`);
console.log(`one node's probe starts apart: min ${gaps[0]?.toFixed(0)} ms, max ${gaps.at(-1)?.toFixed(0)} ms (a gap of 2 intervals would be a swallowed tick)`);
console.log(`single probe: p50 ${pct(probeTimes, 0.5).toFixed(0)} ms, p99 ${pct(probeTimes, 0.99).toFixed(0)} ms, max ${probeTimes.at(-1)?.toFixed(0)} ms`);
console.log(`event-loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`);
console.log(`overlapping probes of one node: ${overlaps}`);
process.exit(0);
