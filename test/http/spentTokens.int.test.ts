import t, { type Test } from 'tap';
import { redisFor } from '../support/testRedis.js';
import { memorySpentTokens, redisSpentTokens, type SpentTokens } from '../../src/http/playback/spentTokens.js';

const T = 1_800_000_000_000;

async function spendsOnce(t: Test, spent: SpentTokens): Promise<void> {
  t.ok(await spent.spend('n1', T + 60_000, T), 'the first open');
  t.notOk(await spent.spend('n1', T + 60_000, T + 1_000), 'the same token again');
  t.ok(await spent.spend('n2', T + 60_000, T + 1_000), 'another token');
}

t.test('in one process / a token is spent once until it expires', async (t) => {
  const spent = memorySpentTokens();
  await spendsOnce(t, spent);
  t.ok(await spent.spend('n1', T + 120_000, T + 60_000), 'forgotten once expired (its link refuses it by then anyway)');
});

t.test('in Redis / a token is spent once across instances, the key expiring with the token', async (t) => {
  const { redis, prefix } = await redisFor(t);
  await spendsOnce(t, redisSpentTokens(redis, prefix));
  t.notOk(await redisSpentTokens(redis, prefix).spend('n1', T + 60_000, T + 2_000), 'another instance sees it spent');
  const ttl = await redis.pttl(`${prefix}spentLink:n1`);
  t.ok(ttl > 0 && ttl <= 60_000, `expires with the token (${ttl} ms)`);
});
