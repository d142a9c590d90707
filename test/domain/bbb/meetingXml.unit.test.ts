import t from 'tap';
import { meetingsResponse, meetingsResponseOf, meetingXml } from '../../../src/domain/bbb/responses.js';
import { addAttendee, newMeeting } from '../../../src/simulator/simulatedMeetings.js';

t.test('getMeetings from cached <meeting> elements / byte-identical to rendering the whole list', async (t) => {
  const escaped = newMeeting({ name: `O'Brien & <Ann> "x"`, meetingID: 'a,b', meta_origin: 'lms & co' }, undefined, 1_700_000_000_000);
  const plain = newMeeting({ name: 'Plain', meetingID: 'plain', attendeePW: 'ap', moderatorPW: 'mp' }, undefined, 1_700_000_001_000);
  addAttendee(plain, { userID: 'u1', fullName: 'Zoë', role: 'MODERATOR', customdata: { k: 'v' } });
  for (const list of [[], [escaped], [escaped, plain]]) {
    t.equal(meetingsResponseOf(list.map(meetingXml)), meetingsResponse(list), `${list.length} meetings`);
  }
});
