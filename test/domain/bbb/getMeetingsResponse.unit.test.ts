import { readFileSync } from 'node:fs';
import t from 'tap';
import { collapseAttendees, parseGetMeetings, summarise } from '../../../src/domain/bbb/getMeetingsResponse.js';
import { meetingBlocks, MeetingsParseMemo } from '../../../src/domain/bbb/meetingsParseMemo.js';
import { meetingsResponse } from '../../../src/domain/bbb/responses.js';
import { newMeeting } from '../../../src/simulator/simulatedMeetings.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/bbb/${name}`, import.meta.url), 'utf8');

t.test('when the node has no meetings (noMeetings) / should answer ok with none', async (t) => {
  t.same(parseGetMeetings(fixture('getMeetings-noMeetings.xml')), { ok: true, meetings: [] });
});

t.test('when the node has meetings with attendees / should read ids, counts, flags and metadata', async (t) => {
  const parsed = parseGetMeetings(fixture('getMeetings-twoMeetings.xml'));
  if (!parsed.ok) throw new Error(parsed.detail);
  t.same(parsed.meetings[0], {
    meetingID: 'gbesu6dht08uobpislzqxsizjzihn87cmewqyacs',
    internalMeetingID: 'a0715c95000a2bcb90604ecc7097dbc94592c690-1715261728123',
    meetingName: "Anton G's Room",
    running: true,
    isBreakout: false,
    createTime: 1715261728123,
    endTime: 0,
    hasBeenForciblyEnded: false,
    participantCount: 2,
    moderatorCount: 1,
    listenerCount: 1,
    voiceParticipantCount: 1,
    videoCount: 1,
    attendeeCount: 2,
    metadata: {
      'bbb-origin-version': 'summit2024-6d8120x',
      'bbb-origin-server-name': 'test30.bigbluebutton.org',
      'bbb-origin': 'greenlight',
      endcallbackurl: 'https://test30.bigbluebutton.org/meeting_ended',
    },
  });
  t.match(parsed.meetings[1], { meetingID: '0123456789', running: false, isBreakout: true, attendeeCount: 0, metadata: {} });
  t.equal(typeof parsed.meetings[1]?.meetingID, 'string', 'a numeric-looking meeting id stays text');
  t.same(summarise(parsed.meetings), { meetings: 1, participants: 2 }, 'the breakout room is not a meeting of its own');
});

t.test('when the node refuses our checksum / should say checksumError', async (t) => {
  t.same(parseGetMeetings(fixture('getMeetings-checksumError.xml')), { ok: false, reason: 'checksumError', detail: 'FAILED checksumError: Checksums do not match' });
});

t.test('when a proxy answers HTML / should say badXml', async (t) => {
  t.match(parseGetMeetings(fixture('getMeetings-html.html')), { ok: false, reason: 'badXml' });
});

t.test('when the answer is cut off / should say badXml with what is wrong', async (t) => {
  t.match(parseGetMeetings(fixture('getMeetings-truncated.xml')), { ok: false, reason: 'badXml', detail: /not well-formed XML/ });
});

t.test('attendees are counted before parsing / each block becomes its count; a block cut off stays and is refused', async (t) => {
  const attendee = (id: string) => `<attendee><userID>${id}</userID><fullName>A &amp; B</fullName></attendee>`;
  const xml = `<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID><attendees>${attendee('1')}${attendee('2')}${attendee('3')}</attendees></meeting><meeting><meetingID>b</meetingID><attendees></attendees></meeting><meeting><meetingID>c</meetingID><attendees/></meeting></meetings></response>`;
  t.equal(collapseAttendees(xml), '<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID><attendees>3</attendees></meeting><meeting><meetingID>b</meetingID><attendees>0</attendees></meeting><meeting><meetingID>c</meetingID><attendees/></meeting></meetings></response>');
  t.equal(collapseAttendees('<response><meetings/></response>'), '<response><meetings/></response>', 'nothing to collapse: the same string');
  const cut = `<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID><internalMeetingID>i</internalMeetingID><attendees>${attendee('1')}<attendee><userID>2`;
  t.equal(collapseAttendees(cut), cut);
  t.match(parseGetMeetings(cut), { ok: false, reason: 'badXml', detail: /not well-formed XML/ });
});

const cases: [string, string, RegExp][] = [
  ['garbage', '}{ this is not xml <<<', /not well-formed/],
  ['an empty body', '', /not/],
  ['another FAILED', '<response><returncode>FAILED</returncode><messageKey>apiNotEnabled</messageKey><message>off</message></response>', /FAILED apiNotEnabled: off/],
  ['no returncode', '<response><meetings/></response>', /returncode is undefined/],
  ['a meeting without an id', '<response><returncode>SUCCESS</returncode><meetings><meeting><participantCount>1</participantCount></meeting></meetings></response>', /lacks <meetingID>/],
  ['a count that is no number', '<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>m</meetingID><internalMeetingID>i</internalMeetingID><participantCount>many</participantCount></meeting></meetings></response>', /participantCount/],
];
for (const [what, xml, detail] of cases) {
  t.test(`when the answer is ${what} / should say badXml`, async (t) => {
    t.match(parseGetMeetings(xml), { ok: false, reason: 'badXml', detail });
    t.match(parseGetMeetings(xml, new MeetingsParseMemo()), { ok: false, reason: 'badXml', detail }, 'with a memo too');
  });
}

t.test('what our own simulator renders parses back (one meeting, counts as rendered)', async (t) => {
  const meeting = newMeeting({ meetingID: 'm1', name: 'One' }, undefined, 1_700_000_000_000);
  const parsed = parseGetMeetings(meetingsResponse([meeting]));
  t.match(parsed, { ok: true, meetings: [{ meetingID: 'm1', meetingName: 'One', participantCount: 0, createTime: 1_700_000_000_000 }] });
});

t.test('with a memo / the next answer reuses the meetings whose block did not change and parses the rest', async (t) => {
  const memo = new MeetingsParseMemo();
  const first = parseGetMeetings(fixture('getMeetings-twoMeetings.xml'), memo);
  t.same(first, parseGetMeetings(fixture('getMeetings-twoMeetings.xml')), 'the same meetings as a parse without memo');
  t.equal(memo.size, 2);
  const changed = fixture('getMeetings-twoMeetings.xml').replace('<participantCount>2</participantCount>', '<participantCount>5</participantCount>');
  const second = parseGetMeetings(changed, memo);
  if (!first.ok || !second.ok) throw new Error('both parse');
  t.equal(second.meetings[0]!.participantCount, 5, 'the changed meeting parsed anew');
  t.not(second.meetings[0], first.meetings[0]);
  t.equal(second.meetings[1], first.meetings[1], 'the unchanged one is the object parsed before');
  t.equal(memo.size, 2, 'only the last answer is remembered');
});

t.test('with a memo / a broken meeting, a cut-off answer or a FAILED one is refused as without, and forgets the last answer', async (t) => {
  const memo = new MeetingsParseMemo();
  t.equal(parseGetMeetings(fixture('getMeetings-twoMeetings.xml'), memo).ok, true);
  const broken = fixture('getMeetings-twoMeetings.xml').replace('<participantCount>2</participantCount>', '<participantCount>2</participantCnt>');
  t.match(parseGetMeetings(broken, memo), { ok: false, reason: 'badXml', detail: /not well-formed XML/ });
  t.equal(memo.size, 0);
  t.match(parseGetMeetings(fixture('getMeetings-truncated.xml'), memo), { ok: false, reason: 'badXml', detail: /not well-formed XML/ });
  t.same(parseGetMeetings(fixture('getMeetings-checksumError.xml'), memo), { ok: false, reason: 'checksumError', detail: 'FAILED checksumError: Checksums do not match' });
  t.same(parseGetMeetings(fixture('getMeetings-noMeetings.xml'), memo), { ok: true, meetings: [] });
});

t.test('meeting blocks / the envelope without them, every block whole; none when a block is left open', async (t) => {
  const xml = '<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a</meetingID></meeting><meeting><meetingID>b</meetingID></meeting></meetings></response>';
  t.same(meetingBlocks(xml), {
    envelope: '<response><returncode>SUCCESS</returncode><meetings></meetings></response>',
    blocks: ['<meeting><meetingID>a</meetingID></meeting>', '<meeting><meetingID>b</meetingID></meeting>'],
  });
  t.equal(meetingBlocks('<response><meetings><meeting><meetingID>a</meetingID>'), undefined);
  t.equal(meetingBlocks('<response><meetings/></response>'), undefined);
  const attributed = '<response><returncode>SUCCESS</returncode><meetings><meeting id="x"><meetingID>a</meetingID><internalMeetingID>i</internalMeetingID></meeting><meeting><meetingID>b</meetingID><internalMeetingID>j</internalMeetingID></meeting></meetings></response>';
  t.match(parseGetMeetings(attributed, new MeetingsParseMemo()), { ok: true, meetings: [{ meetingID: 'a' }, { meetingID: 'b' }] }, 'a tag the scan does not know: the whole answer parsed');
});
