import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { Redis } from 'ioredis';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, Position, SubscribeOptions } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { digestRedisKeys } from '../../src/rebuild/redisDigest.js';
import { REDIS_READ_MODELS, type RedisReadModel } from '../../src/rebuild/redisReadModels.js';
import { deleteKeys, modelKeys } from '../../src/rebuild/redisSwap.js';
import { healPrefixOf, selfHealingModel } from '../../src/rebuild/selfHealing.js';
import type { ProjectionRunner } from '../../src/projections/runner.js';
import { eventually } from '../support/eventually.js';
import { scriptedDay } from './scriptedDay.js';
import { commandContext } from '../support/commandContext.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
t.teardown(() => redis.disconnect());

const [nodeListModel, meetingListModel] = ['nodeList', 'meetingList'].map((name) => REDIS_READ_MODELS.find((m) => m.name === name)!) as [RedisReadModel, RedisReadModel];

/** A log of a scripted day, a prefix of this test's own (its keys and the heal prefix's deleted at teardown). */
async function world(t: Test) {
  const store = new MemoryEventStore();
  await scriptedDay(store);
  const prefix = `test:${randomUUID()}:`;
  const healPrefix = healPrefixOf(prefix, 'one');
  t.teardown(async () => {
    for (const p of [prefix, healPrefix]) await deleteKeys(redis, (await redis.keys(`${p}*`)));
  });
  return { store, prefix, healPrefix };
}

/** Subscriptions from the start (a rebuild's) wait while `closed`: the heal cannot finish until the test opens it. */
function gatedFromStart(store: EventStore) {
  let open = () => {};
  let gate = Promise.resolve();
  const gated: Pick<EventStore, 'subscribe'> = {
    subscribe(options: SubscribeOptions) {
      const wait = options.from === 'start' ? gate : Promise.resolve();
      return (async function* () {
        await wait;
        yield* store.subscribe(options);
      })();
    },
  };
  return {
    store: Object.assign(Object.create(store) as EventStore, gated),
    close: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    open: () => open(),
  };
}

function supervise(t: Test, store: EventStore, prefix: string, healPrefix: string, model: RedisReadModel, checkIntervalMs = 50): ProjectionRunner {
  const controller = new AbortController();
  const runner = selfHealingModel({ store, logger: silentLogger, redis, prefix, model, healPrefix, checkIntervalMs, signal: controller.signal });
  t.teardown(async () => {
    controller.abort();
    await runner.done.catch(() => {});
  });
  return runner;
}

/** Every key of `model` copied under a new prefix of the test's own (deleted at teardown); the new prefix. */
async function copyOf(t: Test, model: RedisReadModel, prefix: string): Promise<string> {
  const copy = `test:${randomUUID()}:`;
  t.teardown(async () => deleteKeys(redis, await redis.keys(`${copy}*`)));
  for (const key of await modelKeys(redis, model, prefix)) await redis.copy(key, copy + key.slice(prefix.length));
  return copy;
}

const digest = async (model: RedisReadModel, prefix: string) => digestRedisKeys(redis, prefix, await modelKeys(redis, model, prefix));
const lastPosition = async (store: EventStore): Promise<Position> => {
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
  throw new Error('empty log');
};

t.test('when every key of the prefix is deleted while no event arrives / the check finds it, says degraded, and rebuilds the same model', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const gate = gatedFromStart(store);
  const runners = [nodeListModel, meetingListModel].map((m) => supervise(t, gate.store, prefix, healPrefix, m));
  await Promise.all(runners.map((r) => r.caughtUp));
  const before = await Promise.all([digest(nodeListModel, prefix), digest(meetingListModel, prefix)]);
  t.ok((await redis.scard(`${prefix}meetings:tenant:acme`)) > 0, 'the live model lists running meetings');

  gate.close();
  await deleteKeys(redis, await redis.keys(`${prefix}*`));
  await eventually('both models degraded', () => runners.every((r) => r.status().state === 'degraded'), 5000);
  t.match(runners[1]!.status(), { name: 'redis:meetingList', state: 'degraded', degradedBy: /vanished/, heals: 1 });
  gate.open();

  await eventually('both models live again', () => runners.every((r) => r.status().state === 'live'), 5000);
  t.same(await Promise.all([digest(nodeListModel, prefix), digest(meetingListModel, prefix)]), before, 'rebuilt byte for byte as it was');
  t.same((await redis.keys(`${healPrefix}*`)).length, 0, 'nothing left beside the live prefix');
  t.equal(runners[0]!.status().heals, 1);
});

t.test('when events arrive after the keys were deleted / the commit refuses to write on the lost model, which is rebuilt with them', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const runner = supervise(t, store, prefix, healPrefix, nodeListModel, 600_000);
  await runner.caughtUp;
  await deleteKeys(redis, await modelKeys(redis, nodeListModel, prefix));
  await handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }, commandContext({ id: randomUUID() }));
  const last = await lastPosition(store);
  await eventually('the model healed and past the new event', async () => runner.status().heals === 1 && (await redis.get(`${prefix}checkpoint:nodeList`)) === last, 5000);
  t.equal(await redis.hget(`${prefix}node:n1`, 'adminState'), 'cordoned');
  t.equal(await redis.zcard(`${prefix}nodes`), 3, 'every node, not only the one the new event touched');
});

t.test('when the checkpoint goes backwards (an older snapshot restored) / the model is rebuilt', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const runner = supervise(t, store, prefix, healPrefix, meetingListModel);
  await runner.caughtUp;
  const before = await digest(meetingListModel, prefix);
  let first: Position | undefined;
  for await (const e of store.readAll({ maxCount: 1 })) first = e.position;
  await redis.set(`${prefix}checkpoint:meetingList`, first!);
  await eventually('healed', () => runner.status().heals === 1 && runner.status().state === 'live', 5000);
  t.equal(await digest(meetingListModel, prefix), before);
});

t.test('when data is found without its checkpoint at start (a different log\'s, or the checkpoint deleted alone) / the model is rebuilt before it runs', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const first = supervise(t, store, prefix, healPrefix, meetingListModel);
  await first.caughtUp;
  const before = await digest(meetingListModel, prefix);
  // 1. a copy of the model under another prefix, with a stray meeting and without its checkpoint
  const strayPrefix = await copyOf(t, meetingListModel, prefix);
  await redis.hset(`${strayPrefix}meeting:stray`, 'entry', '{}');
  await redis.sadd(`${strayPrefix}meetings:tenant:acme`, 'stray');
  await redis.del(`${strayPrefix}checkpoint:meetingList`);
  // 2. a runner on it heals before it runs
  const healed = supervise(t, store, strayPrefix, healPrefixOf(strayPrefix, 'three'), meetingListModel);
  await healed.caughtUp;
  t.equal(healed.status().heals, 1);
  t.equal(await redis.exists(`${strayPrefix}meeting:stray`), 0, 'the stray meeting is gone');
  t.equal(await digest(meetingListModel, strayPrefix), before);
});

t.test('when a record was written by another shape (an instance of another version) / the model says degraded and is rebuilt in this shape', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const gate = gatedFromStart(store);
  const runner = supervise(t, gate.store, prefix, healPrefix, meetingListModel);
  await runner.caughtUp;
  const before = await digest(meetingListModel, prefix);
  const [id] = await redis.smembers(`${prefix}meetings:tenant:acme`);
  gate.close();
  await redis.hset(`${prefix}meeting:${id}`, 'v', '2');
  await eventually('degraded by the record', () => runner.status().state === 'degraded', 5000);
  t.match(runner.status(), { state: 'degraded', degradedBy: new RegExp(`meeting:${id} holds shape 2 where this instance reads shape 1`), heals: 1 });
  gate.open();
  await eventually('live again', () => runner.status().state === 'live', 5000);
  t.equal(await redis.hget(`${prefix}meeting:${id}`, 'v'), '1', 'the record is written in this shape again');
  t.equal(await digest(meetingListModel, prefix), before);
});

t.test('when the shape marker names another shape at start / the model is rebuilt before it runs', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const first = supervise(t, store, prefix, healPrefix, nodeListModel);
  await first.caughtUp;
  const before = await digest(nodeListModel, prefix);
  t.equal(await redis.get(`${prefix}shape:nodeList`), '1', 'the marker is stored with the checkpoint');
  const copy = await copyOf(t, nodeListModel, prefix);
  await redis.set(`${copy}shape:nodeList`, '0');
  const healed = supervise(t, store, copy, healPrefixOf(copy, 'two'), nodeListModel);
  await healed.caughtUp;
  t.match(healed.status(), { heals: 1, state: 'live' });
  t.equal(await redis.get(`${copy}shape:nodeList`), '1');
  t.equal(await digest(nodeListModel, copy), before);
});

t.test('when records and marker predate shape versions (no `v`, no marker) / they read as shape 1 and nothing is rebuilt', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const first = supervise(t, store, prefix, healPrefix, meetingListModel);
  await first.caughtUp;
  const copy = await copyOf(t, meetingListModel, prefix);
  await redis.del(`${copy}shape:meetingList`);
  for (const key of await redis.keys(`${copy}meeting:*`)) await redis.hdel(key, 'v');
  const runner = supervise(t, store, copy, healPrefixOf(copy, 'four'), meetingListModel);
  // The start reads the marker and every record before the runner runs: caught up, they have all been judged.
  await runner.caughtUp;
  t.match(runner.status(), { heals: 0, state: 'live' });
});
