import t from 'tap';
import type { Redis } from 'ioredis';
import { silentLogger } from '../../src/logging.js';
import { selfHealingModel } from '../../src/rebuild/selfHealing.js';
import { eventually } from '../support/eventually.js';
import { digest, meetingListModel, redis, supervise, world } from './healWorld.js';

/** The test's Redis client, which refuses every command while `down` (as ioredis does while Redis is away), counting refusals. */
function switchable(client: Redis) {
  const state = { down: false, refused: 0 };
  const proxy = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (state.down && property !== 'disconnect') {
          state.refused += 1;
          throw new Error('Connection is closed.');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { redis: proxy, state };
}

t.test('when Redis is away as a shared model starts / the model waits for it instead of failing, and is built once it is back', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const reference = supervise(t, store, `${prefix}ref:`, `${healPrefix}ref:`, meetingListModel);
  await reference.caughtUp;
  const away = switchable(redis);
  away.state.down = true;
  const controller = new AbortController();
  const runner = selfHealingModel({ store, logger: silentLogger, redis: away.redis, prefix, model: meetingListModel, healPrefix, checkIntervalMs: 50, signal: controller.signal });
  t.teardown(async () => {
    controller.abort();
    await runner.done.catch(() => {});
  });
  await eventually('it tried Redis a few times', () => away.state.refused >= 3, 5000);
  t.match(runner.status(), { state: 'degraded', degradedBy: /Redis unreachable \(Connection is closed\.\)/ }, '/health says degraded, not failing: the API answers from in-process models');
  away.state.down = false;
  await runner.caughtUp;
  await eventually('live', () => runner.status().state === 'live', 5000);
  t.equal(await digest(meetingListModel, prefix), await digest(meetingListModel, `${prefix}ref:`), 'built as the reference');
});
