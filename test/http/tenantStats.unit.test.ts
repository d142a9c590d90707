import t from 'tap';
import { tenantStats } from '../../src/http/tenantStats.js';
import type { MeetingView } from '../../src/projections/meetingList.js';

const meeting = (metadata: Record<string, string>, more: Partial<MeetingView> = {}): MeetingView => ({
  tenant: 'acme', scope: 'acme', meetingID: 'm', nodeId: 'n1', nodeMeetingID: 'x', name: 'm', internalMeetingID: 'i', createTime: 1,
  voiceBridge: '1', dialNumber: '', attendeePW: null, moderatorPW: null, metadata, moderatorJoins: 0, viewerJoins: 0, counts: null, ...more,
});

t.test('tenant stats / sum polled counts per origin server name and origin, in B3LB\'s column order', async (t) => {
  const moodle = { 'bbb-origin-server-name': 'lms.example.org', 'bbb-origin': 'Moodle' };
  const counts = (participantCount: number, listenerCount: number, voice: number, moderatorCount: number, video: number) => ({ participantCount, listenerCount, voice, moderatorCount, video, running: true });
  t.same(
    tenantStats('acme', [
      meeting(moodle, { counts: counts(10, 4, 3, 1, 2) }),
      meeting(moodle, { counts: counts(5, 0, 5, 2, 1) }),
      meeting({ 'bbb-origin-server-name': 'gl.example.org', 'bbb-origin': 'Greenlight' }, { moderatorJoins: 1, viewerJoins: 2 }),
      meeting({}),
    ]),
    {
      acme: {
        'lms.example.org': { Moodle: [2, 15, 4, 8, 3, 3] },
        'gl.example.org': { Greenlight: [1, 3, 0, 0, 1, 0] },
        '': { '': [1, 0, 0, 0, 0, 0] },
      },
    },
  );
});

t.test('tenant stats / a tenant without running meetings is an empty object', async (t) => {
  t.same(tenantStats('globex', []), { globex: {} });
});
