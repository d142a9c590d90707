import { createRequire } from 'node:module';
import t, { type Test } from 'tap';
import { meetingStreamId } from '../../src/domain/streams.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { call } from '../support/httpHarness.js';
import { eventually } from '../support/eventually.js';
import { startFleet, type Fleet } from './fleetSupport.js';

const bbb = createRequire(import.meta.url)('bigbluebutton-js') as {
  api(host: string, secret: string): {
    administration: { create(name: string, id: string, params?: object): string; join(name: string, id: string, password: string, params?: object): string };
    monitoring: { getMeetingInfo(id: string): string; isMeetingRunning(id: string): string };
  };
  http(url: string): Promise<Record<string, unknown>>;
};
const api = (fleet: Fleet) => bbb.api(`${fleet.base}/t/acme/bigbluebutton`, 'acme-secret-for-the-fleet-test');

const DOCUMENTS = `<?xml version="1.0" encoding="UTF-8"?>\n<modules><module name="presentation"><document url="https://example.com/slides.pdf" filename="Slides – Ünïcode.pdf"/></module></modules>\n`;

async function addNode(t: Test, fleet: Fleet, secret: string, tags: string[] = []): Promise<{ id: string; sim: BbbNodeSimulator }> {
  const sim = await new BbbNodeSimulator({ secret }).start();
  t.teardown(() => sim.stop());
  const res = await call(fleet.base, '/admin/api/v1/nodes', { method: 'POST', token: fleet.token, body: { url: sim.apiUrl, secret, tags, loadFactor: 1 } });
  const node = { id: String(res.body?.id), sim };
  await eventually('the new node available', () => fleet.composed.nodeDirectory.get(node.id)?.health === 'available');
  return node;
}

/** Signed for another node, and the passwords BBB chose when the client did not (compared apart). */
function withoutSignature(params: Record<string, string>): Record<string, string> {
  const { checksum: _checksum, attendeePW: _a, moderatorPW: _m, ...rest } = params;
  return rest;
}

const typesOf = async (fleet: Fleet, meetingID: string) => (await fleet.events(meetingStreamId('acme', meetingID))).map((e) => e.type);

t.test('node A dies with three meetings on it / each is re-created on B or C with the same parameters and body, and joins follow', async (t) => {
  const fleet = await startFleet(t, 1);
  const a = fleet.nodes[0]!;
  const bbbApi = api(fleet);
  t.equal((await fleet.create('room-1')).returncode, 'SUCCESS');
  t.equal((await fleet.create('room-2')).returncode, 'SUCCESS');
  const posted = await fetch(bbbApi.administration.create('Slides room', 'room-docs', { record: 'true', 'meta_bbb-origin': 'Moodle' }), {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: DOCUMENTS,
  });
  t.match(await posted.text(), /SUCCESS/);
  const originals = new Map([...a.sim.meetings.values()].map((m) => [m.meetingID, { ...m }]));
  const [b, c] = [await addNode(t, fleet, 'node-b-secret'), await addNode(t, fleet, 'node-c-secret')];

  await a.sim.kill();
  for (const id of ['room-1', 'room-2', 'room-docs']) {
    await eventually(`${id} moved`, async () => (await typesOf(fleet, id)).includes('MeetingMoved'));
  }
  for (const id of ['room-1', 'room-2', 'room-docs']) {
    const nodeMeetingID = nodeMeetingIdOf('acme', id);
    const moved = (await fleet.events(meetingStreamId('acme', id))).find((e) => e.type === 'MeetingMoved')!;
    t.match(moved, { actor: 'saga:failover', data: { meetingID: id, from: a.id, cause: 'nodeOffline', nodeMeetingID } });
    const target = [b, c].find((n) => n.id === moved.data.to)!;
    t.ok(target, `${id} went to B or C`);
    const copy = target.sim.meetings.get(nodeMeetingID)!;
    const original = originals.get(nodeMeetingID)!;
    t.same(withoutSignature(copy.createParams), withoutSignature(original.createParams), `${id}: the same create parameters`);
    t.same([copy.attendeePW, copy.moderatorPW], [original.attendeePW, original.moderatorPW], `${id}: the passwords the first node chose`);
    t.equal(copy.createBody, original.createBody, `${id}: the identical body`);
    t.equal(moved.data.internalMeetingID, copy.internalMeetingID, 'the new node’s internal meeting ID');

    const joinUrl = bbbApi.administration.join('Ada', id, original.moderatorPW ?? 'mp');
    const redirectsTo = async () => (await fetch(joinUrl, { redirect: 'manual' })).headers.get('location') ?? '';
    // The routing read model follows the log a moment later.
    await eventually(`${id}: join redirects to the new node`, async () => (await redirectsTo()).startsWith(target.sim.apiUrl + 'join?'));
    t.equal((await fetch(await redirectsTo())).status, 200, `${id}: the new node accepts the join with the old password`);
    const info = await bbb.http(bbbApi.monitoring.getMeetingInfo(id));
    t.match(info, { returncode: 'SUCCESS', meetingID: id, internalMeetingID: copy.internalMeetingID }, 'getMeetingInfo answers from the new node with the frontend’s meetingID');
    t.equal((await bbb.http(bbbApi.monitoring.isMeetingRunning(id))).returncode, 'SUCCESS');
  }
  t.equal(originals.get(nodeMeetingIdOf('acme', 'room-docs'))?.createBody, DOCUMENTS, 'the node got the documents byte for byte the first time too');
  t.same((await fleet.getMeetings()).map((m) => m.meetingID).sort(), ['room-1', 'room-2', 'room-docs'], 'getMeetings lists each once');
  t.equal(b.sim.meetings.size + c.sim.meetings.size, 3);
  t.ok(b.sim.meetings.size > 0 && c.sim.meetings.size > 0, 'the moves spread over B and C');
});

t.test('the dead node comes back with its stale copies / they are ended there, and the moved meetings stay where they are', async (t) => {
  const fleet = await startFleet(t, 1);
  const a = fleet.nodes[0]!;
  await fleet.create('room-s');
  const b = await addNode(t, fleet, 'node-b-secret');
  await a.sim.kill();
  await eventually('room-s moved', async () => (await typesOf(fleet, 'room-s')).includes('MeetingMoved'));
  await a.sim.restart();
  t.ok(a.sim.meetings.has(nodeMeetingIdOf('acme', 'room-s')), 'A came back with the stale copy');
  await eventually('the stale copy ended on A', () => !a.sim.meetings.has(nodeMeetingIdOf('acme', 'room-s')));
  t.ok(b.sim.meetings.has(nodeMeetingIdOf('acme', 'room-s')), 'still running on B');
  t.notOk((await typesOf(fleet, 'room-s')).includes('MeetingEnded'), 'the meeting itself did not end');
  t.match(await fleet.getMeetings(), [{ meetingID: 'room-s' }]);
  const reported = (await fleet.events(`node-${a.id}`)).filter((e) => e.type === 'NodeReportedUnknownMeeting');
  t.match(reported, [{ data: { explanation: 'endedHere', detail: /moved to node/ } }], 'reconciliation explained the stale copy, once');
});

t.test('the only node dies / its meeting ends with reason failover and a clear explanation', async (t) => {
  const fleet = await startFleet(t, 1);
  const a = fleet.nodes[0]!;
  await fleet.create('room-alone');
  await a.sim.kill();
  await eventually('the meeting ended', async () => (await typesOf(fleet, 'room-alone')).includes('MeetingEnded'));
  const ended = (await fleet.events(meetingStreamId('acme', 'room-alone'))).find((e) => e.type === 'MeetingEnded');
  t.match(ended, { actor: 'saga:failover', data: { reason: 'failover', nodeId: a.id, evidence: { detail: new RegExp(`node ${a.id} went offline and no other available node could take the meeting`) } } });
  await eventually('getMeetings without it', async () => (await fleet.getMeetings()).length === 0);
});

t.test('a meeting pinned to a tag / is not moved out of its pool: with no other node carrying the tag it ends, naming the tag', async (t) => {
  const fleet = await startFleet(t, 0);
  const a = await addNode(t, fleet, 'node-a-secret', ['gpu']);
  await addNode(t, fleet, 'node-b-secret');
  const created = await bbb.http(api(fleet).administration.create('GPU room', 'room-gpu', { 'meta_server-tag': 'gpu!' }));
  t.equal(created.returncode, 'SUCCESS');
  t.ok(a.sim.meetings.has(nodeMeetingIdOf('acme', 'room-gpu')));
  await a.sim.kill();
  await eventually('the meeting ended', async () => (await typesOf(fleet, 'room-gpu')).includes('MeetingEnded'));
  const ended = (await fleet.events(meetingStreamId('acme', 'room-gpu'))).find((e) => e.type === 'MeetingEnded');
  t.match(ended, { data: { reason: 'failover', evidence: { detail: /carrying gpu/ } } });
});
