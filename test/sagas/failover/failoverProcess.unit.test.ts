import t from 'tap';
import type { MeetingCreated, MeetingMoved } from '../../../src/domain/meeting/events.js';
import type { NodeRegistered } from '../../../src/domain/node/events.js';
import { failoverProcess } from '../../../src/sagas/failover/failoverProcess.js';
import type { Effect } from '../../../src/sagas/process/process.js';
import { processSpec } from '../../support/processSpec.js';

const id = { tenant: 'acme', scope: 'acme', meetingID: 'room-1' };
const nodeMeetingID = `acme-${'a'.repeat(40)}`;
const params = { meetingID: 'room-1', name: 'Room One', meta_Origin: 'lms', 'meta_server-tag': 'eu' };
const answerOf = (internalMeetingID: string) => ({ internalMeetingID, createTime: 1, attendeePW: 'ap', moderatorPW: 'mp', voiceBridge: '70001', dialNumber: '613' });
const created: MeetingCreated = { type: 'MeetingCreated', data: { ...id, nodeId: 'a', nodeMeetingID, ...answerOf('int-a'), name: 'Room One', metadata: { origin: 'lms', 'server-tag': 'eu' }, params } };
const nodeA: NodeRegistered = { type: 'NodeRegistered', data: { nodeId: 'a', url: 'https://a.example.com/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 } };
const moved: MeetingMoved = {
  type: 'MeetingMoved',
  data: { ...id, from: 'a', to: 'b', cause: 'nodeOffline', nodeMeetingID, ...answerOf('int-b'), name: 'Room One', metadata: { origin: 'lms', 'server-tag': 'eu' } },
};

t.test('the failover process', async (t) => {
  const failover = processSpec(failoverProcess({ callTimeoutMs: 1000 }));
  const health = (nodeId: string, h: 'available' | 'offline' | 'unstable') => ({ type: 'NodeHealthChanged' as const, data: { nodeId, health: h, previous: 'available' as const, reason: 'timeout' as const, detail: '' } });
  /** The work an effect asks for, in FailoverView's old words: move a meeting, or end a stale copy. */
  const work = (effects: Effect[]) =>
    effects.map((e) =>
      e.kind === 'command' && e.command.type === 'FailoverMeeting'
        ? { kind: 'move', key: e.key, meeting: e.command.data.meeting, trigger: e.command.data.trigger }
        : e.kind === 'callNode' && e.call.call === 'api'
          ? { kind: 'endStale', key: e.key, nodeId: e.call.nodeId, nodeMeetingID: e.call.params[0]![1], internalMeetingID: e.id.split('/')[1] }
          : { kind: e.kind },
    );
  t.test('when a node goes offline / asks to move each meeting running there, once per offline transition', async (t) => {
    const view = failover.given([nodeA, created]);
    t.same(work(view.when(health('a', 'unstable')).effects), []);
    t.match(work(view.when(health('a', 'offline')).effects), [{ kind: 'move', meeting: id, trigger: { from: 'a', offlineId: 'a#offline1' } }]);
    t.same(work(view.when(health('a', 'offline')).effects), [], 'offline again without a change is no transition');
    view.when(health('a', 'available'));
    t.match(work(view.when(health('a', 'offline')).effects), [{ trigger: { offlineId: 'a#offline2' } }]);
  });
  t.test('after a move / the meeting runs on the new node, and a stale copy reported on the old one is to be ended', async (t) => {
    const view = failover.given([nodeA, created, moved]);
    t.same(work(view.when(health('a', 'offline')).effects), [], 'nothing left on a');
    t.equal(view.state.nodes.get('a')?.health, 'offline');
    const report = (internalMeetingID: string, explanation: 'endedHere' | 'notPlacedByUs' = 'endedHere') => ({
      type: 'NodeReportedUnknownMeeting' as const,
      data: { nodeId: 'a', nodeMeetingID, internalMeetingID, name: 'Room One', createTime: 1, participantCount: 0, explanation, detail: '' },
    });
    t.same(work(view.when(report('int-other')).effects), [], 'another incarnation is not ours to end');
    t.same(work(view.when(report('int-a', 'notPlacedByUs')).effects), []);
    t.match(work(view.when(report('int-a')).effects), [{ kind: 'endStale', nodeId: 'a', nodeMeetingID, internalMeetingID: 'int-a' }]);
    t.same(work(view.when(report('int-a')).effects), [], 'once');
  });
  t.test('given a meeting on a node / when the node goes offline / then one FailoverMeeting command, ids from the transition', async () => {
    failover.given([nodeA, created]).when(health('a', 'offline')).then([
      { kind: 'command', id: 'a#offline1', key: 'acme\nroom-1', actor: 'failover', correlation: 'a#offline1', command: { type: 'FailoverMeeting', data: { meeting: id, trigger: { from: 'a', offlineId: 'a#offline1' } } } },
    ]);
  });
});

t.test('the fence / a move is wanted only while the node is offline, a stale end only while the meeting is elsewhere', async (t) => {
  const process = failoverProcess({ callTimeoutMs: 1000 });
  const session = processSpec(process).given([nodeA, created]);
  const offline = { type: 'NodeHealthChanged' as const, data: { nodeId: 'a', health: 'offline' as const, previous: 'unstable' as const, reason: 'timeout' as const, detail: '' } };
  const [move] = session.when(offline).effects;
  t.equal(process.stillWanted!(session.state, move!), true);
  session.when({ ...offline, data: { ...offline.data, health: 'available', previous: 'offline' } });
  t.equal(process.stillWanted!(session.state, move!), false, 'the node came back while the move waited');
});
