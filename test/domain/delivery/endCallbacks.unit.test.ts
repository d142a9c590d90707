import t from 'tap';
import { endCallbackKindOf, endCallbackTarget, endCallbackUrl, originalEndCallback, verifyEndCallback, withSignedEndCallbacks } from '../../../src/domain/delivery/endCallbacks.js';

const KEY = 'k'.repeat(32);
const claim = { kind: 'endCallbackUrl' as const, nodeMeetingID: 'acme-0123', incarnation: 3 };

t.test('the two parameters bbb-web calls at the end are recognised, the meta one in any case', async (t) => {
  t.equal(endCallbackKindOf('meta_endCallbackUrl'), 'endCallbackUrl');
  t.equal(endCallbackKindOf('META_ENDCALLBACKURL'), 'endCallbackUrl');
  t.equal(endCallbackKindOf('meetingEndedURL'), 'meetingEndedURL');
  t.equal(endCallbackKindOf('meta_bbb-recording-ready-url'), undefined);
});

t.test('a signed URL verifies only for exactly what it was made for', async (t) => {
  const url = endCallbackUrl('https://lb.example/', KEY, claim);
  t.match(url, /^https:\/\/lb\.example\/callbacks\/meeting-ended\/endCallbackUrl\/acme-0123\/3\/[\w-]{43}$/);
  const mac = url.slice(url.lastIndexOf('/') + 1);
  t.ok(verifyEndCallback(KEY, claim, mac));
  t.notOk(verifyEndCallback(KEY, { ...claim, incarnation: 4 }, mac), 'another incarnation');
  t.notOk(verifyEndCallback(KEY, { ...claim, kind: 'meetingEndedURL' }, mac), 'the other kind');
  t.notOk(verifyEndCallback(KEY, { ...claim, nodeMeetingID: 'acme-0124' }, mac), 'another meeting');
  t.notOk(verifyEndCallback('x'.repeat(32), claim, mac), 'another key');
  t.notOk(verifyEndCallback(KEY, claim, ''), 'no MAC');
});

t.test('only non-empty end callbacks are replaced; every other parameter stays in place', async (t) => {
  const params: [string, string][] = [['name', 'x'], ['meta_endCallbackUrl', 'https://lms/end'], ['meetingEndedURL', ' '], ['meta_other', 'y']];
  const sent = withSignedEndCallbacks(params, { origin: 'https://lb.example', key: KEY }, 'acme-0123', 1);
  t.same(sent.map(([k]) => k), ['name', 'meta_endCallbackUrl', 'meetingEndedURL', 'meta_other']);
  t.match(sent[1]![1], /^https:\/\/lb\.example\/callbacks\/meeting-ended\/endCallbackUrl\/acme-0123\/1\//);
  t.equal(sent[2]![1], ' ', 'an empty URL is nothing to take over');
  t.equal(originalEndCallback({ meta_endcallbackurl: ' https://lms/end ' }, 'endCallbackUrl'), 'https://lms/end');
  t.equal(originalEndCallback({ meetingEndedURL: '' }, 'meetingEndedURL'), undefined);
});

t.test("the called URL appends recordingmarks and the tenant's meetingID as bbb-web's URIBuilder does", async (t) => {
  t.equal(endCallbackTarget('https://lms/end', false, 'Room 1'), 'https://lms/end?recordingmarks=false&meetingID=Room%201');
  t.equal(endCallbackTarget('https://lms/end?a=1', true, 'r'), 'https://lms/end?a=1&recordingmarks=true&meetingID=r');
  t.equal(endCallbackTarget('https://lms/end?', true, 'r'), 'https://lms/end?recordingmarks=true&meetingID=r');
  t.equal(endCallbackTarget('https://lms/end?meetingID=r#top', true, 'r'), 'https://lms/end?meetingID=r&recordingmarks=true&meetingID=r#top', 'a meetingID already there appears twice');
});
