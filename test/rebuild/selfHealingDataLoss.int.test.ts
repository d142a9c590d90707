import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { appendMeetingJoined } from '../../src/commands/observations/appendObserved.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { healthAnswer } from '../../src/http/health.js';
import type { RedisReadModel } from '../../src/rebuild/redisReadModels.js';
import { deleteKeys, modelKeys } from '../../src/rebuild/redisSwap.js';
import { commandContext } from '../support/commandContext.js';
import { eventually } from '../support/eventually.js';
import { digest, gatedModel, healedAtStart, lastPosition, meetingListModel, nodeListModel, redis, supervise, world } from './healWorld.js';

/**
 * Data deleted while the checkpoint survives (issue 10, item 1): an operator deletes some of a model's keys
 * but not its checkpoint. The periodic check finds it, `/health` names the model while it heals beside the
 * live copy, and the model comes back byte for byte.
 */
async function lossWhileRunning(t: Test, model: RedisReadModel, lose: (prefix: string) => Promise<unknown>, why: RegExp) {
  const { prefix, healPrefix, gate, runner, before } = await gatedModel(t, model);
  const checkpoint = await redis.get(`${prefix}checkpoint:${model.name}`);
  gate.close();
  await lose(prefix);
  t.equal(await redis.get(`${prefix}checkpoint:${model.name}`), checkpoint, 'the checkpoint survived the loss');
  await eventually(`${model.name} degraded`, () => runner.status().state === 'degraded', 5000);
  t.match(runner.status(), { name: `redis:${model.name}`, state: 'degraded', degradedBy: why, heals: 1 });
  t.match(healthAnswer([runner.status()], 'ok').body, { status: 'degraded', degraded: [`redis:${model.name}`] }, '/health names the model');
  gate.open();
  await eventually('live again', () => runner.status().state === 'live', 5000);
  t.equal(await digest(model, prefix), before, 'rebuilt byte for byte as it was');
  t.same(await redis.keys(`${healPrefix}*`), [], 'nothing left beside the live prefix');
}

const deleteMatching = async (pattern: string) => deleteKeys(redis, await redis.keys(pattern));

t.test('when every meeting index (`meetings:*`) is deleted but not the checkpoint / the check finds the lists missing and rebuilds them', (t) =>
  lossWhileRunning(t, meetingListModel, (prefix) => deleteMatching(`${prefix}meetings:*`), /meetings:tenant:(acme|globex)|meetings:scope/));

t.test('when one tenant\'s meeting list is deleted / the check finds it and rebuilds it', (t) =>
  lossWhileRunning(t, meetingListModel, (prefix) => redis.del(`${prefix}meetings:tenant:acme`), /meetings:tenant:acme/));

t.test('when the meetings\' records (`meeting:*`) are deleted but not their lists / the check finds a listed meeting without its record', (t) =>
  lossWhileRunning(t, meetingListModel, (prefix) => deleteMatching(`${prefix}meeting:*`), /meeting/));

t.test('when one meeting\'s record is deleted / the check finds it', (t) =>
  lossWhileRunning(t, meetingListModel, async (prefix) => redis.del(`${prefix}meeting:${(await redis.smembers(`${prefix}meetings:tenant:globex`))[0]}`), /meeting/));

t.test('when a stray meeting is added to a tenant\'s list / the check finds it and rebuilds the list without it', (t) =>
  lossWhileRunning(t, meetingListModel, (prefix) => redis.sadd(`${prefix}meetings:tenant:acme`, 'stray'), /meetings:tenant:acme/));

t.test('when the node index (`nodes`) is deleted / the check finds it and rebuilds it', (t) =>
  lossWhileRunning(t, nodeListModel, (prefix) => redis.del(`${prefix}nodes`), /nodes/));

t.test('when one node\'s record is deleted / the check finds it and rebuilds it', (t) =>
  lossWhileRunning(t, nodeListModel, (prefix) => redis.del(`${prefix}node:n2`), /node/));

t.test('when a model\'s data was deleted while no instance ran / the model is rebuilt before it runs', async (t) => {
  await healedAtStart(t, meetingListModel, (copy) => deleteMatching(`${copy}meetings:*`));
});

/** Joins and polls of the running meetings, through the real command handlers. */
async function traffic(store: EventStore, rounds: number) {
  const running = [...['room-4', 'room-19', 'room-29', 'room-34'].map((meetingID) => ({ tenant: 'acme', scope: 'acme', meetingID })), ...['room-9', 'room-24', 'room-39'].map((meetingID) => ({ tenant: 'globex', scope: 'globex', meetingID }))];
  for (let i = 0; i < rounds; i++) {
    const meeting = running[i % running.length]!;
    const context = commandContext({ id: randomUUID() });
    await appendMeetingJoined(store, meeting, { moderators: 0, viewers: 1 }, { from: context.now, to: context.now }, context);
    await new Promise((resolve) => setImmediate(resolve)); // commits and checks interleave
  }
}

t.test('when events keep arriving and nothing is lost / checks between commits never take the model for lost', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const runners = [meetingListModel, nodeListModel].map((m) => supervise(t, store, prefix, healPrefix, m, 1));
  await Promise.all(runners.map((r) => r.caughtUp));
  await traffic(store, 300);
  const last = await lastPosition(store);
  await Promise.all(runners.map((r) => r.waitFor(last, { timeoutMs: 5000 })));
  t.same(runners.map((r) => r.status().heals), [0, 0], 'no heal');
});

t.test('a census / counts each index beside the checkpoint, and is one of the keys a swap renames', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const runner = supervise(t, store, prefix, healPrefix, meetingListModel);
  await runner.caughtUp;
  const census = await redis.hgetall(`${prefix}census:meetingList`);
  t.same(census, {
    'meetings:tenant:acme': String(await redis.scard(`${prefix}meetings:tenant:acme`)),
    'meetings:scope:acme': String(await redis.scard(`${prefix}meetings:scope:acme`)),
    'meetings:tenant:globex': '3',
    'meetings:scope:globex': '3',
    '~checkpoint': await redis.get(`${prefix}checkpoint:meetingList`),
  });
  t.ok((await modelKeys(redis, meetingListModel, prefix)).includes(`${prefix}census:meetingList`));
});

t.test('when a model was written before censuses were kept (checkpoint, no census) / it is rebuilt once at start, with one', async (t) => {
  await healedAtStart(t, nodeListModel, (copy) => redis.del(`${copy}census:nodeList`));
});

t.test('when the stored checkpoint is ahead of the log at start (a different Redis, or the log restored from an older backup) / the model is rebuilt from this log', async (t) => {
  await healedAtStart(t, meetingListModel, async (copy, store) => {
    await redis.sadd(`${copy}meetings:tenant:acme`, 'from-another-log');
    await redis.hset(`${copy}meeting:from-another-log`, 'entry', '{}', 'v', '1');
    const ahead = `${await lastPosition(store)}~`;
    await redis.set(`${copy}checkpoint:meetingList`, ahead);
    await redis.hset(`${copy}census:meetingList`, 'meetings:tenant:acme', String(await redis.scard(`${copy}meetings:tenant:acme`)), '~checkpoint', ahead);
  });
});

t.test('when a running model\'s stored checkpoint jumps ahead of the log (another Redis behind the same address) / the check finds it', async (t) => {
  const { prefix, gate, runner, before } = await gatedModel(t, meetingListModel);
  gate.close();
  const ahead = `${await redis.get(`${prefix}checkpoint:meetingList`)}~`;
  await redis.set(`${prefix}checkpoint:meetingList`, ahead);
  await redis.hset(`${prefix}census:meetingList`, '~checkpoint', ahead);
  await eventually('degraded', () => runner.status().state === 'degraded', 5000);
  t.match(runner.status(), { degradedBy: /ahead of the log/, heals: 1 });
  gate.open();
  await eventually('live again', () => runner.status().state === 'live', 5000);
  t.equal(await digest(meetingListModel, prefix), before);
});
