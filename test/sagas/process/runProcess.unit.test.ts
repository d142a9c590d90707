import t from 'tap';
import { of } from 'rxjs';
import { handleNodeCommand } from '../../../src/commands/decider/nodeCommands.js';
import type { NodeCommand } from '../../../src/domain/node/commands.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../../src/domain/node/health.js';
import { DEFAULT_LOAD_MATERIALITY } from '../../../src/domain/node/load.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../../src/logging.js';
import { fleetProcess } from '../../../src/sagas/fleet/fleetProcess.js';
import type { NodeProber } from '../../../src/sagas/nodeProber.js';
import { NO_PORTS, type EffectOutcome } from '../../../src/sagas/process/ports.js';
import type { Process } from '../../../src/sagas/process/process.js';
import { runProcess } from '../../../src/sagas/process/runProcess.js';
import { eventually } from '../../support/eventually.js';
import { commandContext } from '../../support/commandContext.js';

const admin = (store: MemoryEventStore, command: NodeCommand) =>
  handleNodeCommand(store, command, commandContext({ actor: 'admin:t' }));
const register = (store: MemoryEventStore, nodeId: string) =>
  admin(store, { type: 'RegisterNode', data: { nodeId, url: `http://127.0.0.1:9/${nodeId}/bigbluebutton/api/`, secret: 's', tags: [], loadFactor: 1 } });

/** The fleet process on the runtime over the memory store; node commands performed as compose.ts's ports do. */
function runFleet(store: MemoryEventStore, prober: NodeProber, stillHolds: () => boolean, outcomes: EffectOutcome[] = []) {
  return runProcess({
    process: fleetProcess({ intervalMs: 20, retryMs: 20, timeoutMs: 1000, thresholds: DEFAULT_HEALTH_THRESHOLDS, materiality: DEFAULT_LOAD_MATERIALITY, reconcile: { graceMs: 1000 } }),
    store,
    logger: silentLogger,
    ports: {
      ...NO_PORTS,
      perform: async (effect, context) => (effect.kind === 'command' && effect.command.type !== 'FailoverMeeting' && effect.command.type !== 'RecordMeetingGoneFromNode' ? (await handleNodeCommand(store, effect.command, context.command)).events : []),
      callNode: (call) => (call.call === 'probe' ? prober(call.target) : of('')),
    },
    stillHolds,
    hook: { leaseHeld: () => undefined, effect: (_p, _k, outcome) => outcomes.push(outcome), queue: () => undefined },
    now: () => new Date('2026-11-23T10:00:00Z'),
  });
}

t.test('runProcess over the memory store', async (t) => {
  const store = new MemoryEventStore();
  t.teardown(() => store.close());
  await register(store, 'gone');
  await admin(store, { type: 'DecommissionNode', data: { nodeId: 'gone' } });
  await admin(store, { type: 'CompleteDrain', data: { nodeId: 'gone' } });
  await register(store, 'kept');
  const probed: string[] = [];
  const prober: NodeProber = (target) => {
    probed.push(target.nodeId);
    return of({ ok: true, meetings: [], cpu: null });
  };
  const saga = runFleet(store, prober, () => true);

  await eventually('the kept node to be available', () => probed.length >= 3);
  await register(store, 'late');
  await eventually('the late node to be probed', () => probed.includes('late'));
  await saga.stop();
  const afterStop = probed.length;

  t.notOk(probed.includes('gone'), 'a node removed before the start is never probed');
  const changes: unknown[] = [];
  for await (const event of store.readStream('node-kept')) if (event.type === 'NodeHealthChanged') changes.push({ ...(event.data as object), actor: event.metadata.actor });
  t.match(changes, [{ health: 'available', previous: 'unknown', actor: 'saga:nodeHealth' }]);
  t.equal(changes.length, 1, 'one event however many probes');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(probed.length, afterStop, 'no probe after stop()');
});

t.test('when the lease is not held / every effect is refused by the fence, and the hook is told', async (t) => {
  const store = new MemoryEventStore();
  t.teardown(() => store.close());
  await register(store, 'n1');
  const outcomes: EffectOutcome[] = [];
  const saga = runFleet(store, () => of({ ok: true, meetings: [], cpu: null }), () => false, outcomes);
  await eventually('an effect refused', () => outcomes.length > 0);
  await saga.stop();
  t.ok(outcomes.every((o) => o === 'refused'));
  const types: string[] = [];
  for await (const event of store.readStream('node-n1')) types.push(event.type);
  t.same(types, ['NodeRegistered'], 'nothing appended');
});

t.test('a deliver effect / is retried with backoff until it is delivered, in order per key', async (t) => {
  const store = new MemoryEventStore();
  t.teardown(() => store.close());
  const attempts: string[] = [];
  const outcomes: EffectOutcome[] = [];
  const announce: Process<null> = {
    name: 'announce',
    subscribes: { streamPrefixes: ['node-'] },
    idNamespace: '6f1c0c1e-2f4b-4d6e-9a1b-3c5d7e9f1a2b',
    initialState: () => null,
    evolve: (state) => state,
    react: (_state, input) => ({
      effects:
        input.kind === 'event' && input.event.type === 'NodeRegistered'
          ? [{ kind: 'deliver', id: `announce/${input.event.data.nodeId}`, key: 'receiver', request: { url: `https://receiver.example/${input.event.data.nodeId}`, method: 'POST', headers: {} }, retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 } }]
          : [],
    }),
  };
  const saga = runProcess({
    process: announce,
    store,
    logger: silentLogger,
    ports: {
      ...NO_PORTS,
      async deliver(request) {
        attempts.push(request.url);
        return attempts.length <= 2 ? { ok: false, detail: 'HTTP 503' } : { ok: true };
      },
    },
    stillHolds: () => true,
    hook: { leaseHeld: () => undefined, effect: (_p, _k, outcome) => outcomes.push(outcome), queue: () => undefined },
    now: () => new Date(),
  });
  await register(store, 'n1');
  await register(store, 'n2');
  await eventually('both delivered', () => outcomes.length === 2);
  await saga.stop();
  t.same(attempts, ['https://receiver.example/n1', 'https://receiver.example/n1', 'https://receiver.example/n1', 'https://receiver.example/n2'], 'n1 twice refused then delivered, n2 after it');
  t.same(outcomes, ['done', 'done']);
});
