import t from 'tap';
import { EventDecodeError } from '../../../src/domain/eventCatalogue.js';
import { projectStats, statsProjection } from '../../../src/projections/stats/statsOps.js';
import { created, EventLog, identity, moved, nodeRegistered, placed } from './statsEvents.js';

const at = '2026-11-23T10:00:00.000Z';

t.test('every event type of the catalogue / becomes its stats op', async (t) => {
  const log = new EventLog();
  const cases: Array<[ReturnType<EventLog['add']>, unknown[]]> = [
    [log.add('tenant-acme', 'TenantRegistered', { tenant: 'acme' }, at), [{ op: 'tenantRegistered', tenant: 'acme', at }]],
    [log.add('tenant-acme', 'TenantSecretAdded', { tenant: 'acme', secretId: 's1', secret: 'x', subId: 0 }, at), []],
    [log.add('tenant-acme', 'TenantSecretRevoked', { tenant: 'acme', secretId: 's1' }, at), []],
    [log.add('node-n1', 'NodeRegistered', nodeRegistered('n1'), at), [{ op: 'nodeRegistered', nodeId: 'n1', url: 'https://n1.example.com/bigbluebutton/api/', at }]],
    [log.add('node-n1', 'NodeEnabled', { nodeId: 'n1' }, at), [{ op: 'nodeAdminState', nodeId: 'n1', adminState: 'enabled', at }]],
    [log.add('node-n1', 'NodeCordoned', { nodeId: 'n1' }, at), [{ op: 'nodeAdminState', nodeId: 'n1', adminState: 'cordoned', at }]],
    [log.add('node-n1', 'NodeDisabled', { nodeId: 'n1' }, at), [{ op: 'nodeAdminState', nodeId: 'n1', adminState: 'disabled', at }]],
    [log.add('node-n1', 'NodeDecommissioned', { nodeId: 'n1' }, at), [{ op: 'nodeAdminState', nodeId: 'n1', adminState: 'decommissioned', at }]],
    [
      log.add('node-n1', 'NodeHealthChanged', { nodeId: 'n1', health: 'offline', previous: 'available', reason: 'timeout', detail: '3 probes' }, at),
      [{ op: 'nodeHealth', nodeId: 'n1', health: 'offline', reason: 'timeout', detail: '3 probes', at }],
    ],
    [log.add('meeting-acme-x', 'MeetingPlaced', placed('m1', 'n1', true), at), [{ op: 'meetingPlaced', stream: 'meeting-acme-x', recorded: true }]],
    [log.add('meeting-acme-y', 'MeetingPlaced', placed('m2', 'n1', false), at), [{ op: 'meetingPlaced', stream: 'meeting-acme-y', recorded: false }]],
    [
      log.add('meeting-acme-x', 'MeetingCreated', created('m1', 'n1'), at),
      [{ op: 'meetingStarted', stream: 'meeting-acme-x', tenant: 'acme', scope: 'acme', meetingID: 'm1', nodeId: 'n1', name: 'Room m1', at }],
    ],
    [
      log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), moderators: 1, viewers: 4, from: '2026-11-23T10:04:59.800Z', to: '2026-11-23T10:05:00.000Z' }, at),
      [{ op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 5 }, at: '2026-11-23T10:05:00.000Z' }],
    ],
    [
      log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), role: 'VIEWER', at: '2026-11-23T10:05:00.000Z' }, at, 1),
      [{ op: 'participants', stream: 'meeting-acme-x', change: { kind: 'delta', by: 1 }, at: '2026-11-23T10:05:00.000Z' }],
    ],
    [log.add('meeting-acme-x', 'MeetingMoved', moved('m1', 'n1', 'n2'), at), [{ op: 'meetingMoved', stream: 'meeting-acme-x', nodeId: 'n2', at }]],
    [log.add('meeting-acme-x', 'MeetingEnded', { ...identity('m1'), nodeId: 'n1', reason: 'api' }, at), [{ op: 'meetingEnded', stream: 'meeting-acme-x', reason: 'api', at }]],
    [
      log.add('meeting-acme-z', 'MeetingCreateFailed', { ...identity('m3'), nodeId: 'n1', reason: 'timeout', detail: 'slow' }, at),
      [{ op: 'createFailed', tenant: 'acme', nodeId: 'n1', at }],
    ],
    [
      log.add('meeting-acme-z', 'MeetingCreateAbandoned', { ...identity('m3'), reason: 'noNodeAvailable', triedNodeIds: ['n1'] }, at),
      [{ op: 'createAbandoned', tenant: 'acme', at }],
    ],
  ];
  for (const [event, ops] of cases) t.same(projectStats(event), ops, event.type);
});

t.test('an event whose schema version is newer than the code / stops the projection with a clear message', async (t) => {
  const log = new EventLog();
  const newer = log.add('tenant-acme', 'TenantRegistered', { tenant: 'acme' }, at, 99);
  t.throws(() => projectStats(newer), EventDecodeError);
  t.throws(() => projectStats(newer), /schema version 99 is not understood \(this code knows up to 1\)/);
});

t.test('an undecodable event / stops the projection', async (t) => {
  const log = new EventLog();
  t.throws(() => projectStats(log.add('meeting-acme-x', 'MeetingEnded', { tenant: 'acme' }, at)), EventDecodeError);
  t.throws(() => projectStats(log.add('node-n1', 'NodeExploded', { nodeId: 'n1' }, at)), /unknown event type/);
});

t.test('the projection reads tenant, node and meeting streams only', async (t) => {
  t.same(statsProjection.filter.streamPrefixes, ['tenant-', 'node-', 'meeting-']);
});
