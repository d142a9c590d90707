import { randomUUID } from 'node:crypto';
import t from 'tap';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import type { Position } from '../../src/eventstore/port.js';
import { deleteKeys, modelKeys } from '../../src/rebuild/redisSwap.js';
import { healPrefixOf } from '../../src/rebuild/selfHealing.js';
import { eventually } from '../support/eventually.js';
import { commandContext } from '../support/commandContext.js';
import { copyOf, digest, gatedFromStart, gatedModel, healedAtStart, lastPosition, meetingListModel, nodeListModel, redis, supervise, world } from './healWorld.js';

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
  const { prefix, gate, runner, before } = await gatedModel(t, meetingListModel);
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
  const copy = await healedAtStart(t, nodeListModel, async (copy) => {
    t.equal(await redis.get(`${copy}shape:nodeList`), '1', 'the marker is stored with the checkpoint');
    await redis.set(`${copy}shape:nodeList`, '0');
  });
  t.equal(await redis.get(`${copy}shape:nodeList`), '1');
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
