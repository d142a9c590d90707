import t from 'tap';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, SubscribeOptions } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { nodeDirectoryProjection } from '../../src/projections/nodeDirectory.js';
import { InMemoryNodeDirectory } from '../../src/projections/nodeDirectoryMemory.js';
import { nodeListProjection } from '../../src/projections/nodeList.js';
import { InMemoryNodeList } from '../../src/projections/nodeListMemory.js';
import { RunnerSet } from '../../src/projections/runnerSet.js';
import { registerNode } from './support.js';

t.test('in-process models / follow one subscription of the log between them, before and after they caught up', async (t) => {
  const store = new MemoryEventStore();
  const subscriptions: SubscribeOptions[] = [];
  const counted = Object.assign(Object.create(store) as EventStore, {
    subscribe(options: SubscribeOptions) {
      subscriptions.push(options);
      return store.subscribe(options);
    },
  });
  await registerNode(store, 'n1');
  const runners = new RunnerSet(counted, silentLogger);
  const list = new InMemoryNodeList();
  const directory = new InMemoryNodeDirectory();
  const listRunner = runners.addInProcess(nodeListProjection, list.target);
  const directoryRunner = runners.addInProcess(nodeDirectoryProjection, directory.target);
  t.teardown(() => runners.stop());
  await runners.start();
  t.same((await list.list()).map((n) => n.id), ['n1']);
  t.ok(directory.get('n1'));

  const position = await registerNode(store, 'n2');
  await Promise.all([listRunner.waitFor(position, { timeoutMs: 5000 }), directoryRunner.waitFor(position, { timeoutMs: 5000 })]);
  t.same((await list.list()).map((n) => n.id), ['n1', 'n2'], 'live events reach every model');
  t.ok(directory.get('n2'));
  t.equal(subscriptions.length, 1, 'one subscription for both');
  t.equal(subscriptions[0]?.from, 'start');
});
