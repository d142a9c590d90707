import t, { type Test } from 'tap';
import type { Logger } from 'pino';
import { createLogger, silentLogger } from '../../src/logging.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, Position } from '../../src/eventstore/port.js';
import { nodeListProjection, type NodeListOp } from '../../src/projections/nodeList.js';
import { InMemoryNodeList } from '../../src/projections/nodeListMemory.js';
import type { CheckpointTarget, ProjectedBatch } from '../../src/projections/projection.js';
import { ProjectionError, startProjection } from '../../src/projections/runner.js';
import { MemoryCheckpointTarget } from '../../src/projections/targets/memoryTarget.js';
import { newEvent } from '../eventstore/contract/fixtures.js';
import { registerNode, runNodeCommand } from './support.js';

const start = (t: Test, store: EventStore, target: CheckpointTarget<NodeListOp> = new InMemoryNodeList().target, extra: { retryDelayMs?: number; logger?: Logger } = {}) => {
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const runner = startProjection({ store, projection: nodeListProjection, target, logger: silentLogger, signal: controller.signal, ...extra });
  return { runner, stop: () => controller.abort() };
};

t.test('when the log has history / catches up, then follows live appends', async (t) => {
  const store = new MemoryEventStore();
  await registerNode(store, 'n1');
  const model = new InMemoryNodeList();
  const { runner } = start(t, store, model.target);
  await runner.caughtUp;
  t.same((await model.list()).map((n) => n.id), ['n1']);
  t.equal(runner.status().state, 'live');
  const position = await registerNode(store, 'n2');
  await runner.waitFor(position);
  t.same((await model.list()).map((n) => n.id), ['n1', 'n2']);
});

t.test('when the log is empty / caughtUp still resolves', async (t) => {
  const { runner } = start(t, new MemoryEventStore());
  await runner.caughtUp;
  t.equal(runner.status().checkpoint, undefined);
});

t.test('when waiting for a position in a stream the projection filters out / resolves via checkpoints', async (t) => {
  const store = new MemoryEventStore();
  const { runner } = start(t, store);
  await runner.caughtUp;
  const other = await store.append('tenant-x', [newEvent('TenantRegistered')]);
  await runner.waitFor(other.position);
  t.equal(runner.status().checkpoint, other.position);
});

t.test('when restarted on the same target / resumes after the checkpoint and applies nothing twice', async (t) => {
  const store = new MemoryEventStore();
  const applied: NodeListOp[] = [];
  const target = new MemoryCheckpointTarget<NodeListOp>((ops) => applied.push(...ops));
  const first = start(t, store, target);
  await first.runner.waitFor(await registerNode(store, 'n1'));
  first.stop();
  await first.runner.done;
  t.equal(first.runner.status().state, 'stopped');
  const position = await registerNode(store, 'n2');
  const second = start(t, store, target);
  await second.runner.waitFor(position);
  t.same(applied.map((op) => op.op === 'put' && op.entry.id), ['n1', 'n2']);
});

t.test('when an event cannot be decoded / stops with an error naming it, after committing the events before it', async (t) => {
  const store = new MemoryEventStore();
  const model = new InMemoryNodeList();
  const good = await registerNode(store, 'n1');
  const bad = await store.append('node-n2', [newEvent('NodeExploded', { nodeId: 'n2' })]);
  const { runner } = start(t, store, model.target);
  await t.rejects(runner.done, ProjectionError);
  await t.rejects(runner.caughtUp, /NodeExploded node-n2@0 .*unknown event type/);
  t.equal(runner.status().state, 'failed');
  t.equal(runner.status().checkpoint, good);
  t.same((await model.list()).map((n) => n.id), ['n1']);
  await t.rejects(runner.waitFor(bad.position), /NodeExploded/, 'later waiters are refused, not left hanging');
});

t.test('when a live waiter is pending and the projection fails / the waiter is rejected', async (t) => {
  const store = new MemoryEventStore();
  const { runner } = start(t, store);
  await runner.caughtUp;
  const bad = await store.append('node-n3', [newEvent('NodeExploded', { nodeId: 'n3' })]);
  await t.rejects(runner.waitFor(bad.position), /NodeExploded/);
});

t.test('when the target fails to commit / retries the same batch until it succeeds', async (t) => {
  const store = new MemoryEventStore();
  const model = new InMemoryNodeList();
  let failures = 2;
  const flaky = {
    loadCheckpoint: () => model.target.loadCheckpoint(),
    commit: async (batch: ProjectedBatch<NodeListOp>) => {
      if (failures-- > 0) throw new Error('target away');
      await model.target.commit(batch);
    },
  };
  const position = await registerNode(store, 'n1');
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const flakyRun = start(t, store, flaky, { retryDelayMs: 1, logger });
  await flakyRun.runner.waitFor(position);
  t.equal(failures, -1, 'failed twice, then committed');
  t.same((await model.list()).map((n) => n.id), ['n1']);
  const said = lines.filter((l) => l.msg.includes('commit'));
  t.same(said.map((l) => l.msg), ['projection nodeList: commit failed, retrying until it succeeds', 'projection nodeList: commit succeeded again'], 'one line when it failed, one when it recovered: not one per retry');
});

t.test('when waiting with a timeout the projection cannot meet / rejects with the position', async (t) => {
  const store = new MemoryEventStore();
  const { runner } = start(t, store);
  await runner.caughtUp;
  const future = 'M:99999999999999999999' as Position;
  await t.rejects(runner.waitFor(future, { timeoutMs: 10 }), /did not reach M:9+ within 10 ms/);
});

t.test('admin changes reach the model in order', async (t) => {
  const store = new MemoryEventStore();
  const model = new InMemoryNodeList();
  const { runner } = start(t, store, model.target);
  await registerNode(store, 'n1');
  await runNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } });
  await runner.waitFor(await runNodeCommand(store, { type: 'DisableNode', data: { nodeId: 'n1' } }));
  t.equal((await model.get('n1'))?.adminState, 'disabled');
});
