import t from 'tap';
import { takeRecordingReadyUrl } from '../../src/outbound/recordingReady.js';

t.test('the recording-ready URL is taken out of the create, bn before bbb before canvas, every variant removed', async (t) => {
  const params = new Map([
    ['meetingID', 'room'],
    ['meta_canvas-recording-ready-url', 'https://canvas.example/ready'],
    ['meta_bbb-recording-ready-url', 'https://lms.example/ready'],
    ['meta_bn-recording-ready-url', '  '],
  ]);
  const { url, rest } = takeRecordingReadyUrl(params);
  t.equal(url, 'https://lms.example/ready', 'a blank bn value does not win');
  t.same([...rest.keys()], ['meetingID']);
  t.equal(params.size, 4, 'the input is left as it was');
  t.same(takeRecordingReadyUrl(new Map([['meetingID', 'x']])).url, undefined);
});
