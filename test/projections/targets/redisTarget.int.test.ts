import t, { type Test } from 'tap';
import { silentLogger } from '../../../src/logging.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, Position } from '../../../src/eventstore/port.js';
import { nodeListProjection } from '../../../src/projections/nodeList.js';
import { RedisNodeList } from '../../../src/projections/nodeListRedis.js';
import type { ProjectionDefinition } from '../../../src/projections/projection.js';
import { startProjection } from '../../../src/projections/runner.js';
import { RedisCheckpointTarget } from '../../../src/projections/targets/redisTarget.js';
import { newEvent } from '../../eventstore/contract/fixtures.js';
import { registerNode, runNodeCommand } from '../support.js';
import { redisFor } from '../../support/testRedis.js';

function run<Op>(t: Test, store: EventStore, projection: ProjectionDefinition<Op>, target: RedisCheckpointTarget<Op>) {
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const runner = startProjection({ store, projection, target, logger: silentLogger, signal: controller.signal });
  return { runner, stop: async () => (controller.abort(), runner.done) };
}

/** Counts events per stream with HINCRBY: not idempotent on its own, so it shows exactly-once application. */
const counting = (prefix: string) => ({
  projection: { name: 'count', filter: { streamPrefixes: ['count-'] }, project: (e: { streamId: string }) => [e.streamId] },
  toCommands: (streams: string[]): [string, ...string[]][] => streams.map((s) => ['HINCRBY', `${prefix}counts`, s, '1']),
});

t.test('node list in Redis: registers, admin changes and reads back without the secret', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const store = new MemoryEventStore();
  const model = new RedisNodeList(redis, prefix);
  const { runner } = run(t, store, nodeListProjection, model.target);
  await registerNode(store, 'n1', ['eu', 'big']);
  await registerNode(store, 'n2');
  await runner.waitFor(await runNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }));
  const list = await model.list();
  t.same(list.map((n) => [n.id, n.adminState, n.tags]), [
    ['n1', 'cordoned', ['big', 'eu']],
    ['n2', 'enabled', []],
  ]);
  t.match(list[0], { url: 'https://n1.example.com/bigbluebutton/api/', loadFactor: 1, registeredAt: /^2026-11-23T10:00:/ });
  t.notMatch(JSON.stringify(await redis.hgetall(`${prefix}node:n1`)), /secret/);
  t.same(await model.get('n2'), list[1]);
  t.equal(await model.get('nope'), undefined);
});

t.test('node list in Redis: restarted runner resumes from the stored checkpoint', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const store = new MemoryEventStore();
  const first = run(t, store, nodeListProjection, new RedisNodeList(redis, prefix).target);
  await first.runner.waitFor(await registerNode(store, 'n1'));
  await first.stop();
  const stored = await redis.get(`${prefix}checkpoint:nodeList`);
  t.equal(stored, first.runner.status().checkpoint);
  await registerNode(store, 'n2');
  const model = new RedisNodeList(redis, prefix);
  const second = run(t, store, nodeListProjection, model.target);
  await second.runner.caughtUp;
  t.same((await model.list()).map((n) => n.id), ['n1', 'n2']);
});

t.test('checkpoint target: a restart and a second runner never apply an event twice', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const store = new MemoryEventStore();
  const { projection, toCommands } = counting(prefix);
  const target = () => new RedisCheckpointTarget(redis, `${prefix}checkpoint:count`, toCommands);
  await store.append('count-a', [newEvent('E'), newEvent('E')]);
  const first = run(t, store, projection, target());
  await first.runner.caughtUp;
  await first.stop();
  await store.append('count-a', [newEvent('E')]);
  const last = await store.append('count-b', [newEvent('E')]);
  const second = run(t, store, projection, target());
  const third = run(t, store, projection, target());
  await Promise.all([second.runner.waitFor(last.position), third.runner.waitFor(last.position)]);
  t.same(await redis.hgetall(`${prefix}counts`), { 'count-a': '3', 'count-b': '1' });
});

t.test('checkpoint target: committing a batch at or before the stored checkpoint changes nothing', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const { toCommands } = counting(prefix);
  const target = new RedisCheckpointTarget(redis, `${prefix}checkpoint:count`, toCommands);
  const p = (n: number) => `M:${String(n).padStart(20, '0')}` as Position;
  t.equal(await target.loadCheckpoint(), undefined);
  const batch = { entries: [{ position: p(1), ops: ['s'] }, { position: p(2), ops: ['s'] }], checkpoint: p(3) };
  await target.commit(batch);
  await target.commit(batch);
  t.same(await redis.hgetall(`${prefix}counts`), { s: '2' });
  await target.commit({ entries: [{ position: p(3), ops: ['s'] }, { position: p(4), ops: ['s', 's'] }], checkpoint: p(4) });
  t.same(await redis.hgetall(`${prefix}counts`), { s: '4' }, 'only the entry after the checkpoint applied');
  t.equal(await target.loadCheckpoint(), p(4));
});

t.test('when the stored checkpoint vanished or went backwards / a commit writes nothing and the runner stops with ReadModelLostError', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const { projection, toCommands } = counting(prefix);
  const target = new RedisCheckpointTarget(redis, `${prefix}checkpoint:count`, toCommands);
  const store = new MemoryEventStore();
  await store.append('count-a', [newEvent('Counted')]);
  const { runner } = run(t, store, projection, target);
  await runner.caughtUp;
  const stored = await redis.get(`${prefix}checkpoint:count`);
  t.ok(stored, 'a checkpoint is stored');
  await redis.del(`${prefix}checkpoint:count`, `${prefix}counts`);
  await store.append('count-b', [newEvent('Counted')]);
  await t.rejects(runner.done, { name: 'ReadModelLostError', code: 'READ_MODEL_LOST' });
  t.equal(await redis.exists(`${prefix}counts`), 0, 'nothing laid on the lost model');
  t.equal(runner.status().state, 'failed');

  // Behind the runner's last commit: the same refusal, straight from the target.
  await redis.set(`${prefix}checkpoint:count`, '0');
  await t.rejects(target.commit({ entries: [], checkpoint: stored as Position, after: stored as Position }), { name: 'ReadModelLostError' });
  t.equal(await redis.get(`${prefix}checkpoint:count`), '0', 'the checkpoint is not moved');
  // A runner that has stored nothing yet (a rebuild from the start) is never refused.
  await target.commit({ entries: [], checkpoint: stored as Position });
  t.equal(await redis.get(`${prefix}checkpoint:count`), stored);
});

t.test('with a census / each set and sorted set a batch wrote is counted beside the checkpoint, and dropped once empty', async (t) => {
  const { redis, prefix } = await redisFor(t);
  type Op = [string, ...string[]];
  const census = `${prefix}census:m`;
  const target = new RedisCheckpointTarget<Op>(redis, `${prefix}checkpoint:m`, (ops) => ops, undefined, { key: census, prefix });
  const p = (n: number) => `M:${String(n).padStart(20, '0')}` as Position;
  await target.commit({ entries: [{ position: p(1), ops: [['SADD', `${prefix}set:a`, 'x', 'y'], ['ZADD', `${prefix}zset`, '1', 'x'], ['HSET', `${prefix}hash`, 'f', 'v']] }], checkpoint: p(1) });
  t.same(await redis.hgetall(census), { 'set:a': '2', zset: '1', '~checkpoint': p(1) }, 'hashes are records, not counted');
  await target.commit({ entries: [{ position: p(2), ops: [['SREM', `${prefix}set:a`, 'x', 'y'], ['ZADD', `${prefix}zset`, '2', 'y']] }], checkpoint: p(2), after: p(1) });
  t.same(await redis.hgetall(census), { zset: '2', '~checkpoint': p(2) });
  await target.commit({ entries: [{ position: p(2), ops: [['SADD', `${prefix}set:a`, 'z']] }], checkpoint: p(2), after: p(2) });
  t.same(await redis.hgetall(census), { zset: '2', '~checkpoint': p(2) }, 'a batch at the stored checkpoint counts nothing');
});
