import t from 'tap';
import { UsageModel } from '../../src/metrics/usageModel.js';
import { projectUsage } from '../../src/metrics/usageProjection.js';
import { eventLog } from '../support/events.js';

// Issue 15 §3: "placements and refusals with reason". Issue 14 §7: when no node has room, create answers
// serverFull and records MeetingCreateRefused. Seen black-box: after a serverFull create,
// bbb_ledger_placement_refusals_total had no sample at all (it counts MeetingCreateAbandoned only).
const log = eventLog({ actor: 'system' });

t.test('given a create refused for want of capacity (MeetingCreateRefused, serverFull) / then it is counted as a placement refusal with that reason', async (t) => {
  const model = new UsageModel(() => {});
  const refused = log('MeetingCreateRefused', { tenant: 'acme', scope: 'acme', meetingID: 'm1', reason: 'serverFull', detail: 'n1: load 104.6 + 35 > maxLoad 100' }, { streamId: 'meeting-acme-x' });
  model.apply(projectUsage(refused));
  t.equal(model.refusals.get('serverFull'), 1);
});
