import t from 'tap';
import type { NodeMeeting } from '../../../src/domain/bbb/getMeetingsResponse.js';
import { DEFAULT_LOAD_MATERIALITY, isMaterialLoadChange, nodeLoadOf, parseCpuLoad, type NodeLoad } from '../../../src/domain/node/load.js';

const load = (over: Partial<NodeLoad> = {}): NodeLoad => ({ meetings: 10, participants: 100, voice: 40, video: 20, breakoutMeetings: 0, cpu: 0.5, ...over });
const material = (before: NodeLoad | null, after: NodeLoad) => isMaterialLoadChange(before, after, DEFAULT_LOAD_MATERIALITY);

t.test('nodeLoadOf / sums the meetings, counts breakouts apart without their users', async (t) => {
  const m = (over: Partial<NodeMeeting>): NodeMeeting => ({
    meetingID: 'm', internalMeetingID: 'i', meetingName: '', running: true, isBreakout: false, createTime: 0, endTime: 0, hasBeenForciblyEnded: false,
    participantCount: 0, moderatorCount: 0, listenerCount: 0, voiceParticipantCount: 0, videoCount: 0, attendeeCount: 0, metadata: {}, ...over,
  });
  const meetings = [m({ participantCount: 5, voiceParticipantCount: 2, videoCount: 1 }), m({ participantCount: 3 }), m({ isBreakout: true, participantCount: 2 })];
  t.same(nodeLoadOf(meetings, 0.25), { meetings: 2, participants: 8, voice: 2, video: 1, breakoutMeetings: 1, cpu: 0.25 });
});

t.test('materiality / the first report always, any meeting count change, small drifts never', async (t) => {
  t.ok(material(null, load()), 'nothing reported yet');
  t.notOk(material(load(), load()), 'an identical poll');
  t.ok(material(load(), load({ meetings: 11 })), 'a meeting more');
  t.ok(material(load(), load({ breakoutMeetings: 1 })), 'a breakout room more');
  t.notOk(material(load(), load({ participants: 104 })), '+4 of 100 is under 5%');
  t.ok(material(load(), load({ participants: 105 })), '+5 of 100 is 5% and ≥ 2');
  t.notOk(material(load({ participants: 3 }), load({ participants: 4 })), '+1 is under the absolute minimum');
  t.ok(material(load({ participants: 3 }), load({ participants: 5 })), '+2 of 3');
  t.ok(material(load({ participants: 1 }), load({ participants: 0 })), 'to zero always');
  t.notOk(material(load(), load({ cpu: 0.59 })), 'CPU +9 points');
  t.ok(material(load(), load({ cpu: 0.6 })), 'CPU +10 points');
  t.ok(material(load(), load({ cpu: null })), 'the CPU figure lost');
});

t.test('parseCpuLoad / a plain number on the configured scale, our agent JSON, anything else null', async (t) => {
  t.equal(parseCpuLoad('4200\n', 10_000), 0.42, "b3lb-load's utilisation × 10000");
  t.equal(parseCpuLoad('42', 100), 0.42);
  t.equal(parseCpuLoad('{"cpu":0.42}', 10_000), 0.42);
  t.equal(parseCpuLoad('<html>502</html>', 10_000), null);
  t.equal(parseCpuLoad('{"cpu":"high"}', 10_000), null);
  t.equal(parseCpuLoad('-1', 10_000), null);
});
