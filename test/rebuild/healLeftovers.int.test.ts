import t from 'tap';
import { silentLogger } from '../../src/logging.js';
import { sweepHealLeftovers } from '../../src/rebuild/healLeftovers.js';
import { modelKeys } from '../../src/rebuild/redisSwap.js';
import { healPrefixOf, selfHealingModel } from '../../src/rebuild/selfHealing.js';
import { eventually } from '../support/eventually.js';
import { copyOf, digest, gatedFromStart, gatedModel, meetingListModel, nodeListModel, redis, supervise, world } from './healWorld.js';

/** What a heal killed mid-build leaves: a copy of the model's keys, checkpoint included, under a heal prefix of its own. */
async function leftovers(t: Parameters<typeof world>[0], prefix: string, instance: string) {
  const dead = healPrefixOf(prefix, instance);
  const copy = await copyOf(t, meetingListModel, prefix);
  for (const key of await modelKeys(redis, meetingListModel, copy)) await redis.copy(key, dead + key.slice(copy.length));
  return dead;
}

const idle = async (key: string) => Number(await redis.object('IDLETIME', key));

t.test('when a heal was killed mid-build (no owner mark, its checkpoint idle) / the next start sweeps its keys and leaves the live model alone', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const first = supervise(t, store, prefix, healPrefix, meetingListModel);
  await first.caughtUp;
  const live = await digest(meetingListModel, prefix);
  const dead = await leftovers(t, prefix, 'dead');
  t.ok((await redis.keys(`${dead}*`)).length > 0);
  await eventually('its checkpoint idled a second', async () => (await idle(`${dead}checkpoint:meetingList`)) >= 1, 5000);
  const controller = new AbortController();
  const next = selfHealingModel({ store, logger: silentLogger, redis, prefix, model: nodeListModel, healPrefix: healPrefixOf(prefix, 'next'), checkIntervalMs: 50, ownerTtlMs: 1000, signal: controller.signal });
  t.teardown(async () => {
    controller.abort();
    await next.done.catch(() => {});
  });
  await next.caughtUp;
  t.same(await redis.keys(`${dead}*`), [], 'the killed heal\'s keys are gone');
  t.equal(await digest(meetingListModel, prefix), live, 'the live model is untouched');
});

t.test('when a heal prefix has no owner mark but its checkpoint moved recently (a heal by a version without marks) / it is spared', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  await supervise(t, store, prefix, healPrefix, meetingListModel).caughtUp;
  const fresh = await leftovers(t, prefix, 'old-version');
  t.ok((await redis.keys(`${fresh}*`)).length > 0);
  t.same(await sweepHealLeftovers(redis, prefix, 60_000), []);
  t.ok((await redis.exists(`${fresh}checkpoint:meetingList`)) === 1, 'still there');
});

t.test('when a heal\'s owner mark is there / its keys are spared until the mark expires (the process died and stopped refreshing it)', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  await supervise(t, store, prefix, healPrefix, meetingListModel).caughtUp;
  const dead = await leftovers(t, prefix, 'dying');
  await redis.set(`${dead}owner:meetingList`, '1', 'PX', 300);
  t.same(await sweepHealLeftovers(redis, prefix, 0), [], 'marked: spared');
  await eventually('swept once the mark expired', async () => (await sweepHealLeftovers(redis, prefix, 0)).includes(dead), 5000);
  t.same(await redis.keys(`${dead}*`), []);
});

t.test('while a heal runs / it holds its owner mark, no sweep takes its keys, and it leaves nothing, the mark included, when it ends', async (t) => {
  const { prefix, healPrefix, gate, runner, before } = await gatedModel(t, meetingListModel);
  gate.close();
  await redis.del(`${prefix}meetings:tenant:acme`);
  await eventually('degraded', () => runner.status().state === 'degraded', 5000);
  await eventually('marked as running', async () => (await redis.exists(`${healPrefix}owner:meetingList`)) === 1, 5000);
  t.same(await sweepHealLeftovers(redis, prefix, 0), [], 'the running heal is spared');
  t.ok((await redis.pttl(`${healPrefix}owner:meetingList`)) > 0, 'the mark expires unless refreshed');
  gate.open();
  await eventually('live again', () => runner.status().state === 'live', 5000);
  t.equal(await digest(meetingListModel, prefix), before);
  t.same(await redis.keys(`${healPrefix}*`), [], 'nothing left beside the live prefix, the mark included');
});

t.test('when the instance stops mid-heal / the heal deletes what it built and its mark', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const gate = gatedFromStart(store);
  const controller = new AbortController();
  const runner = selfHealingModel({ store: gate.store, logger: silentLogger, redis, prefix, model: nodeListModel, healPrefix, checkIntervalMs: 50, signal: controller.signal });
  await runner.caughtUp;
  gate.close();
  await redis.del(`${prefix}nodes`);
  await eventually('marked as running', async () => (await redis.exists(`${healPrefix}owner:nodeList`)) === 1, 5000);
  controller.abort();
  gate.open();
  await runner.done.catch(() => {});
  t.same(await redis.keys(`${healPrefix}*`), []);
});
