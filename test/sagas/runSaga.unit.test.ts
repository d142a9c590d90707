import { randomUUID } from 'node:crypto';
import t from 'tap';
import { of } from 'rxjs';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import type { NodeCommand } from '../../src/domain/node/commands.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../src/domain/node/health.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../src/logging.js';
import { nodeHealthSaga } from '../../src/sagas/nodeHealthSaga.js';
import type { NodeProber } from '../../src/sagas/nodeProber.js';
import { runNodeSaga } from '../../src/sagas/runSaga.js';
import { eventually } from '../support/eventually.js';
import { commandContext } from '../support/commandContext.js';

const admin = (store: MemoryEventStore, command: NodeCommand) =>
  handleNodeCommand(store, command, commandContext({ actor: 'admin:t' }));
const register = (store: MemoryEventStore, nodeId: string) =>
  admin(store, { type: 'RegisterNode', data: { nodeId, url: `http://127.0.0.1:9/${nodeId}/bigbluebutton/api/`, secret: 's', tags: [], loadFactor: 1 } });


t.test('runNodeSaga over the memory store', async (t) => {
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
  const saga = runNodeSaga({
    name: 'nodeHealth',
    store,
    logger: silentLogger,
    saga: (events$) => nodeHealthSaga(events$, { prober, intervalMs: 20, retryMs: 20, timeoutMs: 1000, thresholds: DEFAULT_HEALTH_THRESHOLDS }),
    now: () => new Date('2026-11-23T10:00:00Z'),
    newId: randomUUID,
  });

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
