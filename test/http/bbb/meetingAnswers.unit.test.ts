import t from 'tap';
import { createValidationError } from '../../../src/http/bbb/createCall.js';
import { withClientMeetingId } from '../../../src/http/bbb/meetingAnswers.js';

const check = (params: Record<string, string>) => createValidationError(new Map(Object.entries(params)));

t.test('create validation / a valid create passes', async (t) => {
  t.equal(check({ name: 'Room', meetingID: 'm1', record: 'true', voiceBridge: '71234', attendeePW: 'ap', moderatorPW: 'mp' }), undefined);
});

t.test('create validation / bbb-web 2.5+ keys and messages, the first in its HashMap order', async (t) => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ meetingID: 'm1' }, 'nullError', 'You must provide a meeting name'],
    [{ name: '', meetingID: 'm1' }, 'emptyError', 'You must provide a meeting name'],
    [{ name: 'R', meetingID: 'm1' }, 'sizeError', 'Meeting name must be between 2 and 256 characters'],
    [{ name: 'Room' }, 'validationError', 'Invalid meeting ID'],
    [{ name: 'Room', meetingID: ' m1' }, 'validationError', 'Invalid meeting ID'],
    [{ name: 'Room', meetingID: '' }, 'sizeError', 'Meeting ID must be between 2 and 256 characters'],
    [{ name: 'Room', meetingID: 'a,b' }, 'validationError', "Meeting ID cannot contain ','"],
    [{ name: 'Room', meetingID: 'x'.repeat(257) }, 'sizeError', 'Meeting ID must be between 2 and 256 characters'],
    [{ name: 'Room', meetingID: 'm1', attendeePW: 'a' }, 'invalidPassword', 'Invalid password'],
    [{ name: 'Room', meetingID: 'm1', record: 'yes' }, 'validationError', 'Record must be a boolean value (true or false)'],
    [{ name: 'Room', meetingID: 'm1', voiceBridge: '12a' }, 'validationError', 'Voice bridge must be an integral value'],
    [{ name: '', meetingID: 'a,b', moderatorPW: 'x' }, 'emptyError', 'You must provide a meeting name'],
    [{ meetingID: 'a,b', moderatorPW: 'x' }, 'invalidPassword', 'Invalid password'],
  ];
  for (const [params, key, message] of cases) t.same(check(params), { key, message }, JSON.stringify(params));
});

t.test('meeting ID rewrite / every occurrence of the node ID becomes the client ID, XML-escaped', async (t) => {
  const node = `acme-${'f'.repeat(40)}`;
  const xml = `<response><meetingID>${node}</meetingID><internalMeetingID>${'9'.repeat(40)}-1</internalMeetingID><message>Meeting with id [${node}] not found.</message></response>`;
  t.equal(
    withClientMeetingId(xml, node, `a&b <"c'>`),
    `<response><meetingID>a&amp;b &lt;&quot;c&apos;&gt;</meetingID><internalMeetingID>${'9'.repeat(40)}-1</internalMeetingID><message>Meeting with id [a&amp;b &lt;&quot;c&apos;&gt;] not found.</message></response>`,
  );
});
