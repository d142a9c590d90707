import { randomUUID } from 'node:crypto';
import t from 'tap';
import { handleMeetingCommand } from '../../src/commands/decider/meetingCommands.js';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import { handleTenantCommand } from '../../src/commands/decider/tenantCommands.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { logIdentityOf } from '../../src/projections/logIdentity.js';
import { RedisMeetingList } from '../../src/projections/meetingListRedis.js';
import { rebuild } from '../../src/rebuild/rebuild.js';
import { deleteKeys } from '../../src/rebuild/redisSwap.js';
import { healPrefixOf } from '../../src/rebuild/selfHealing.js';
import { commandContext } from '../support/commandContext.js';
import { eventually } from '../support/eventually.js';
import { copyOf, digest, gatedFromStart, gatedModel, lastPosition, meetingListModel, nodeListModel, redis, supervise, world } from './healWorld.js';

/**
 * A different Redis (restored from staging, another deployment's) whose model's checkpoint is at or behind our
 * log's head (issue 10 item 1): every shared model stores the identity of the log it was built from beside its
 * checkpoint, and another log's is a loss. One without (written before identities) is adopted.
 */

/** Another product's short log: tenant acme with two running meetings of its own, ids no scripted day uses. */
const A_MEETINGS = ['from-log-a-1', 'from-log-a-2'];
async function logA(store: EventStore): Promise<void> {
  const ctx = () => commandContext({ actor: 'admin:ops', id: randomUUID() });
  await handleTenantCommand(store, { type: 'RegisterTenant', data: { tenant: 'acme', secrets: ['acme-secret-0123456789abcdef0123456789'] } }, ctx());
  const node = { nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', secret: 'node-secret', tags: [], loadFactor: 1 };
  await handleNodeCommand(store, { type: 'RegisterNode', data: node }, ctx());
  for (const [i, meetingID] of A_MEETINGS.entries()) {
    const meeting = { tenant: 'acme', scope: 'acme', meetingID };
    const nodeMeetingID = nodeMeetingIdOf('acme', meetingID);
    await handleMeetingCommand(store, { type: 'PlaceMeeting', data: { ...meeting, nodeMeetingID, params: { name: meetingID }, body: null, candidates: ['n1'] } }, ctx());
    const created = { internalMeetingID: `a-int-${i}`, createTime: Date.now(), attendeePW: null, moderatorPW: null, voiceBridge: `8000${i}`, dialNumber: '' };
    await handleMeetingCommand(store, { type: 'RecordMeetingCreated', data: { ...meeting, nodeId: 'n1', ...created } }, ctx());
  }
}

const meetingIDs = async (prefix: string, tenant: string) => (await new RedisMeetingList(redis, prefix).list(tenant, tenant)).map((m) => m.meetingID).sort();
const identityOf = (prefix: string, model = meetingListModel) => redis.get(`${prefix}${model.logSuffix}`);

t.test('when a model built from log A is moved under a product on log B, whose head is beyond A\'s checkpoint / it is found built from another log and rebuilt from B', async (t) => {
  // 1. log A's model, copied where the product on log B keeps its own (A's runner stays on A's prefix)
  const a = await world(t, logA);
  await supervise(t, a.store, a.prefix, a.healPrefix, meetingListModel).caughtUp;
  t.same(await meetingIDs(a.prefix, 'acme'), A_MEETINGS);
  const moved = await copyOf(t, meetingListModel, a.prefix);
  // 2. log B (a scripted day), its own model as the reference
  const b = await world(t);
  await supervise(t, b.store, b.prefix, b.healPrefix, meetingListModel).caughtUp;
  const fromB = await digest(meetingListModel, b.prefix);
  t.ok((await redis.get(`${moved}checkpoint:meetingList`))! <= (await lastPosition(b.store)), 'A\'s checkpoint is not ahead of B\'s head');
  // 3. the product on B starts on A's model: lost before it runs, rebuilt from B
  const gate = gatedFromStart(b.store);
  gate.close();
  const runner = supervise(t, gate.store, moved, healPrefixOf(moved, 'b'), meetingListModel, 600_000);
  const ours = await logIdentityOf(b.store).current();
  const theirs = await logIdentityOf(a.store).current();
  await eventually('degraded', () => runner.status().state === 'degraded', 5000);
  t.match(runner.status(), { degradedBy: `it was built from another log (${theirs} ≠ ${ours})`, heals: 1 });
  gate.open();
  await runner.caughtUp;
  t.match(runner.status(), { state: 'live', heals: 1 });
  t.equal(await digest(meetingListModel, moved), fromB, 'the model is B\'s, key for key');
  t.same(await meetingIDs(moved, 'acme'), ['room-19', 'room-29', 'room-34', 'room-4'], 'every running meeting of B\'s acme, none of A\'s');
  t.same(await meetingIDs(moved, 'globex'), ['room-24', 'room-39', 'room-9']);
  t.equal(await identityOf(moved), ours);
});

t.test('when a running model\'s stored identity turns into another log\'s (another Redis behind the same address) / the check finds it', async (t) => {
  const { store, prefix, gate, runner, before } = await gatedModel(t, meetingListModel);
  const ours = await logIdentityOf(store).current();
  t.equal(await identityOf(prefix), ours, 'the runner stored this log\'s identity with its checkpoint');
  gate.close();
  await redis.set(`${prefix}log:meetingList`, 'another-log');
  await eventually('degraded', () => runner.status().state === 'degraded', 5000);
  t.match(runner.status(), { degradedBy: `it was built from another log (another-log ≠ ${ours})`, heals: 1 });
  gate.open();
  await eventually('live again', () => runner.status().state === 'live', 5000);
  t.equal(await digest(meetingListModel, prefix), before);
});

t.test('when events arrive on a model of another log between checks / the commit refuses to write and the model is rebuilt with them', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  const runner = supervise(t, store, prefix, healPrefix, nodeListModel, 600_000);
  await runner.caughtUp;
  await redis.set(`${prefix}log:nodeList`, 'another-log');
  await handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }, commandContext({ id: randomUUID() }));
  const last = await lastPosition(store);
  await eventually('healed past the new event', async () => runner.status().heals === 1 && (await redis.get(`${prefix}checkpoint:nodeList`)) === last, 5000);
  t.equal(await redis.hget(`${prefix}node:n1`, 'adminState'), 'cordoned');
  t.equal(await identityOf(prefix, nodeListModel), await logIdentityOf(store).current());
});

t.test('when a model has a checkpoint but no identity (written before identities were kept) / it is adopted, not rebuilt', async (t) => {
  const { store, prefix, healPrefix } = await world(t);
  await supervise(t, store, prefix, healPrefix, meetingListModel).caughtUp;
  const copy = await copyOf(t, meetingListModel, prefix);
  await redis.del(`${copy}log:meetingList`);
  const runner = supervise(t, store, copy, healPrefixOf(copy, 'upgraded'), meetingListModel);
  await runner.caughtUp;
  t.match(runner.status(), { heals: 0, state: 'live' });
  t.equal(await identityOf(copy), await logIdentityOf(store).current(), 'this log\'s identity written');
  t.equal(await digest(meetingListModel, copy), await digest(meetingListModel, prefix), 'the model as it was, with its identity');
});

t.test('when the log is empty / the model has no identity until the first commit, which stores it', async (t) => {
  const { store, prefix, healPrefix } = await world(t, async () => {});
  const runner = supervise(t, store, prefix, healPrefix, nodeListModel);
  await runner.caughtUp;
  t.equal(await identityOf(prefix, nodeListModel), null, 'an empty log has no identity yet');
  const node = { nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', secret: 'node-secret', tags: [], loadFactor: 1 };
  await handleNodeCommand(store, { type: 'RegisterNode', data: node }, commandContext({ id: randomUUID() }));
  await runner.waitFor(await lastPosition(store), { timeoutMs: 5000 });
  t.equal(await identityOf(prefix, nodeListModel), await logIdentityOf(store).current());
  t.equal(runner.status().heals, 0);
});

t.test('when `ledger rebuild --replace` swaps a model in / the identity comes with it, even over another log\'s model ahead of it', async (t) => {
  // another product's long log (a scripted day) left its model where the product on the short log A keeps its own
  const day = await world(t);
  await supervise(t, day.store, day.prefix, day.healPrefix, meetingListModel).caughtUp;
  const prefix = await copyOf(t, meetingListModel, day.prefix);
  const a = await world(t, logA);
  const rebuildPrefix = healPrefixOf(prefix, 'rebuild');
  t.teardown(async () => deleteKeys(redis, await redis.keys(`${rebuildPrefix}*`)));
  await rebuild({ store: a.store, logger: silentLogger, models: ['meetingList'], replace: true, redis, redisPrefix: prefix, rebuildPrefix });
  t.equal(await identityOf(prefix), await logIdentityOf(a.store).current());
  t.same(await meetingIDs(prefix, 'acme'), A_MEETINGS, 'log A\'s model, although the other one\'s checkpoint was further');
  t.same(await meetingIDs(prefix, 'globex'), []);
});
