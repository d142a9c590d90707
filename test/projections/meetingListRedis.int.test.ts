import t from 'tap';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { RedisMeetingList } from '../../src/projections/meetingListRedis.js';
import { get, startMeetingTestServer, TENANTS } from '../http/support/meetingTestServer.js';
import { redisFor } from '../support/testRedis.js';

t.test('meeting list in Redis / routes joins, lists per scope, counts joins once, forgets ended meetings', async (t) => {
  const { redis, prefix } = await redisFor(t);
  const model = new RedisMeetingList(redis, prefix);
  const server = await startMeetingTestServer({ nodeCount: 2, meetings: model });
  t.teardown(() => server.close());
  const call = (tenant: string, name: string, params: Array<[string, string]>, secret: string) => get(server.url(tenant, name, params, secret));

  t.match((await call('acme', 'create', [['name', 'Main room'], ['meetingID', 'r1'], ['meta_origin', 'lms']], TENANTS.acme)).xml, { returncode: 'SUCCESS' });
  t.match((await call('acme-007', 'create', [['name', 'Sub room'], ['meetingID', 'r1']], TENANTS.acme007)).xml, { returncode: 'SUCCESS' });
  const join = await call('acme', 'join', [['meetingID', 'r1'], ['fullName', 'Zoë'], ['role', 'MODERATOR']], TENANTS.acme);
  t.equal(join.status, 302, 'an immediate join after create finds the meeting in Redis');
  await call('acme', 'join', [['meetingID', 'r1'], ['fullName', 'Al'], ['role', 'VIEWER']], TENANTS.acme);
  await server.joinsRecorded();

  const key = nodeMeetingIdOf('acme', 'r1');
  await call('acme', 'getMeetingInfo', [['meetingID', 'r1']], TENANTS.acme);
  const whole = (await call('acme', 'getMeetings', [], TENANTS.acme)).xml?.meetings?.meeting;
  t.equal(whole.length, 2, 'sub 0 sees both');
  const sub = (await call('acme-007', 'getMeetings', [], TENANTS.acme007)).xml?.meetings?.meeting;
  t.match(sub, { meetingID: 'r1', meetingName: 'Sub room', participantCount: '0' }, 'the sub sees only its own');
  t.match(whole.find((m: { meetingName: string }) => m.meetingName === 'Main room'), { participantCount: '2', moderatorCount: '1', metadata: { origin: 'lms' } });

  // A runner re-delivering committed joins (a second instance, a restart) must not count them again.
  const joins = (await server.events()).filter((e) => e.type === 'MeetingJoined');
  t.same((await model.find(key))?.moderatorJoins, 1);
  await model.target.commit({ entries: joins.map((e) => ({ position: e.position, ops: [{ op: 'join', nodeMeetingID: key, position: e.position, moderators: 0, viewers: 5, at: '2026-11-23T10:00:00.000Z' }] })), checkpoint: joins.at(-1)!.position });
  t.same([(await model.find(key))?.moderatorJoins, (await model.find(key))?.viewerJoins], [1, 1], 'a batch at or before the checkpoint is skipped');

  // A poll taken after a window's joins and appended before it: the window is in its count already.
  const last = joins.at(-1)!.position;
  const polled = { participantCount: 9, moderatorCount: 1, listenerCount: 0, voice: 0, video: 0, running: true };
  await model.target.commit({ entries: [{ position: `${last}~1` as typeof last, ops: [{ op: 'counts', nodeMeetingID: key, counts: polled, at: '2026-11-23T10:00:01.000Z' }] }], checkpoint: `${last}~1` as typeof last });
  await model.target.commit({ entries: [{ position: `${last}~2` as typeof last, ops: [{ op: 'join', nodeMeetingID: key, position: `${last}~2` as typeof last, moderators: 0, viewers: 3, at: '2026-11-23T10:00:00.900Z' }] }], checkpoint: `${last}~2` as typeof last });
  t.match(await model.find(key), { moderatorJoins: 0, viewerJoins: 0, counts: polled }, 'a join covered by the poll is not added');
  await model.target.commit({ entries: [{ position: `${last}~3` as typeof last, ops: [{ op: 'join', nodeMeetingID: key, position: `${last}~3` as typeof last, moderators: 0, viewers: 3, at: '2026-11-23T10:00:01.100Z' }] }], checkpoint: `${last}~3` as typeof last });
  t.match(await model.find(key), { moderatorJoins: 0, viewerJoins: 3 }, 'a join after the poll is');

  t.match((await call('acme', 'end', [['meetingID', 'r1']], TENANTS.acme)).xml, { returncode: 'SUCCESS' });
  t.equal(await model.find(key), undefined);
  t.same(await redis.keys(`${prefix}meeting:${key}*`), [], 'no keys left for the ended meeting');
  t.equal((await model.list('acme', 'acme')).length, 1);
});
