import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { Redis } from 'ioredis';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore, Position, SubscribeOptions } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { digestRedisKeys } from '../../src/rebuild/redisDigest.js';
import { REDIS_READ_MODELS, type RedisReadModel } from '../../src/rebuild/redisReadModels.js';
import { modelKeys } from '../../src/rebuild/redisSwap.js';
import { healPrefixOf, selfHealingModel } from '../../src/rebuild/selfHealing.js';
import type { ProjectionRunner } from '../../src/projections/runner.js';
import { scriptedDay } from './scriptedDay.js';
import { deletePrefixKeys, REDIS_URL } from '../support/testRedis.js';

/** Helpers of the self-healing tests: a scripted day's log, a Redis prefix of the test's own, supervised models. */
export const redis = new Redis(REDIS_URL);
t.teardown(() => redis.disconnect());

export const [nodeListModel, meetingListModel] = ['nodeList', 'meetingList'].map((name) => REDIS_READ_MODELS.find((m) => m.name === name)!) as [RedisReadModel, RedisReadModel];

/** A log (a scripted day unless `fill` writes another), a prefix of this test's own (its keys and every heal prefix's beside it deleted at teardown). */
export async function world(t: Test, fill: (store: EventStore) => Promise<void> = scriptedDay) {
  const store = new MemoryEventStore();
  await fill(store);
  const prefix = `test:${randomUUID()}:`;
  const healPrefix = healPrefixOf(prefix, 'one');
  t.teardown(() => deletePrefixKeys(redis, prefix));
  return { store, prefix, healPrefix };
}

/** Subscriptions from the start (a rebuild's) wait while `closed`: the heal cannot finish until the test opens it. */
export function gatedFromStart(store: EventStore) {
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

export function supervise(t: Test, store: EventStore, prefix: string, healPrefix: string, model: RedisReadModel, checkIntervalMs = 50): ProjectionRunner {
  const controller = new AbortController();
  const runner = selfHealingModel({ store, logger: silentLogger, redis, prefix, model, healPrefix, checkIntervalMs, signal: controller.signal });
  t.teardown(async () => {
    controller.abort();
    await runner.done.catch(() => {});
  });
  return runner;
}

/** Every key of `model` copied under a new prefix of the test's own (deleted at teardown); the new prefix. */
export async function copyOf(t: Test, model: RedisReadModel, prefix: string): Promise<string> {
  const copy = `test:${randomUUID()}:`;
  t.teardown(() => deletePrefixKeys(redis, copy));
  for (const key of await modelKeys(redis, model, prefix)) await redis.copy(key, copy + key.slice(prefix.length));
  return copy;
}

export const digest = async (model: RedisReadModel, prefix: string) => digestRedisKeys(redis, prefix, await modelKeys(redis, model, prefix));

export const lastPosition = async (store: EventStore): Promise<Position> => {
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
  throw new Error('empty log');
};

/** `model` supervised on a scripted day's log, caught up, with its digest; its heals wait while the test closes `gate`. */
export async function gatedModel(t: Test, model: RedisReadModel) {
  const { store, prefix, healPrefix } = await world(t);
  const gate = gatedFromStart(store);
  const runner = supervise(t, gate.store, prefix, healPrefix, model);
  await runner.caughtUp;
  return { store, prefix, healPrefix, gate, runner, before: await digest(model, prefix) };
}

/**
 * A live model copied under a prefix of its own and spoiled there by `spoil`, then a self-healing model started
 * on the copy: it must rebuild the copy once, before it runs, into the live model. Returns the copy's prefix.
 */
export async function healedAtStart(t: Test, model: RedisReadModel, spoil: (copy: string, store: EventStore) => Promise<unknown>): Promise<string> {
  const { store, prefix, healPrefix } = await world(t);
  await supervise(t, store, prefix, healPrefix, model).caughtUp;
  const before = await digest(model, prefix);
  const copy = await copyOf(t, model, prefix);
  await spoil(copy, store);
  const healed = supervise(t, store, copy, healPrefixOf(copy, 'at-start'), model, 600_000);
  await healed.caughtUp;
  t.match(healed.status(), { heals: 1, state: 'live' }, 'healed once, before it ran');
  t.equal(await digest(model, copy), before, 'rebuilt as the live model');
  return copy;
}
