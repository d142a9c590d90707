import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { CensusCheck } from '../../src/rebuild/censusCheck.js';
import { deleteKeys } from '../../src/rebuild/redisSwap.js';
import { meetingListModel, redis } from './healWorld.js';

/** A meeting list of `tenants` tenants with `meetings` meetings each, written by hand with its census, under a prefix of the test's own. */
async function largeModel(t: Test, tenants: number, meetings: number) {
  const prefix = `test:${randomUUID()}:`;
  t.teardown(async () => deleteKeys(redis, await redis.keys(`${prefix}*`)));
  const pipeline = redis.pipeline();
  for (let i = 0; i < tenants; i++) {
    for (let j = 0; j < meetings; j++) {
      pipeline.sadd(`${prefix}meetings:tenant:t${i}`, `m${i}-${j}`);
      pipeline.hset(`${prefix}meeting:m${i}-${j}`, 'entry', '{}', 'v', '1');
    }
    pipeline.hset(`${prefix}census:meetingList`, `meetings:tenant:t${i}`, String(meetings));
  }
  pipeline.hset(`${prefix}census:meetingList`, '~checkpoint', 'M:1');
  await pipeline.exec();
  return prefix;
}

/** Checks in a row until one finds something; how many it took. */
async function checksUntilFound(check: CensusCheck, most: number): Promise<{ checks: number; problem: string | undefined }> {
  for (let checks = 1; checks <= most; checks++) {
    const problem = await check.next();
    if (problem) return { checks, problem };
  }
  return { checks: most, problem: undefined };
}

t.test('a whole model that holds what its census says / passes, every page of it', async (t) => {
  const prefix = await largeModel(t, 250, 3);
  t.equal(await new CensusCheck(redis, prefix, meetingListModel).all(), undefined);
});

t.test('when one of 250 tenants\' lists is deleted / the paged check finds it within a round of the census', async (t) => {
  const prefix = await largeModel(t, 250, 3);
  const check = new CensusCheck(redis, prefix, meetingListModel);
  t.equal(await check.next(), undefined);
  await redis.del(`${prefix}meetings:tenant:t249`);
  const found = await checksUntilFound(check, 10);
  t.match(found.problem, /meetings:tenant:t249 holds 0 members where its census counts 3/);
  t.equal(await new CensusCheck(redis, prefix, meetingListModel).all(), found.problem, 'and the start check finds the same');
});

t.test('when one record of a list of 300 is deleted / the paged check finds the member without it', async (t) => {
  const prefix = await largeModel(t, 1, 300);
  await redis.del(`${prefix}meeting:m0-123`);
  const found = await checksUntilFound(new CensusCheck(redis, prefix, meetingListModel), 10);
  t.match(found.problem, /meetings:tenant:t0 lists m0-123 but meeting:m0-123 holds no entry/);
});

t.test('when the census is gone beside a checkpoint / the check says so', async (t) => {
  const prefix = await largeModel(t, 1, 1);
  await redis.del(`${prefix}census:meetingList`);
  t.match(await new CensusCheck(redis, prefix, meetingListModel).next(), /census is missing/);
});
