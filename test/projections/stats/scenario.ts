import { created, EventLog, identity, nodeRegistered, placed } from './statsEvents.js';

/**
 * A small day: node n1 available 09:00–12:00 then offline; meeting m1 (recorded) 10:00–11:00 with joins at
 * 10:10 and 10:20 and one trailing join after its end; m2 10:30 until 01:00 the next day; m1 again from 13:00.
 */
export function smallDay(): EventLog {
  const log = new EventLog();
  const d = (time: string, day = '2026-11-23') => `${day}T${time}.000Z`;
  log.add('tenant-acme', 'TenantRegistered', { tenant: 'acme' }, d('08:00:00'));
  log.add('node-n1', 'NodeRegistered', nodeRegistered('n1'), d('09:00:00'));
  log.add('node-n1', 'NodeHealthChanged', { nodeId: 'n1', health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '1' }, d('09:00:00'));
  log.add('meeting-acme-x', 'MeetingPlaced', placed('m1', 'n1', true), d('10:00:00'));
  log.add('meeting-acme-x', 'MeetingCreated', created('m1', 'n1'), d('10:00:00'));
  // A v1 join (one per event, as written before join windows), then a v2 window of one.
  log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), role: 'MODERATOR', at: d('10:10:00') }, d('10:10:00'), 1);
  log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), moderators: 0, viewers: 1, from: d('10:19:59'), to: d('10:20:00') }, d('10:20:00'));
  log.add('meeting-acme-y', 'MeetingPlaced', placed('m2', 'n1'), d('10:30:00'));
  log.add('meeting-acme-y', 'MeetingCreated', created('m2', 'n1'), d('10:30:00'));
  log.add('meeting-acme-x', 'MeetingEnded', { ...identity('m1'), nodeId: 'n1', reason: 'api' }, d('11:00:00'));
  log.add('meeting-acme-x', 'MeetingJoined', { ...identity('m1'), moderators: 0, viewers: 1, from: d('11:00:01'), to: d('11:00:01') }, d('11:00:01'));
  log.add('node-n1', 'NodeHealthChanged', { nodeId: 'n1', health: 'offline', previous: 'available', reason: 'timeout', detail: '3' }, d('12:00:00'));
  log.add('node-n1', 'NodeCordoned', { nodeId: 'n1' }, d('12:01:00'));
  log.add('meeting-acme-z', 'MeetingCreateFailed', { ...identity('m3'), nodeId: 'n1', reason: 'timeout', detail: 'slow' }, d('12:02:00'));
  log.add('meeting-acme-z', 'MeetingCreateAbandoned', { ...identity('m3'), reason: 'noNodeAvailable', triedNodeIds: ['n1'] }, d('12:02:00'));
  log.add('meeting-acme-x', 'MeetingPlaced', placed('m1', 'n1'), d('13:00:00'));
  log.add('meeting-acme-x', 'MeetingCreated', created('m1', 'n1'), d('13:00:00'));
  log.add('meeting-acme-y', 'MeetingEnded', { ...identity('m2'), nodeId: 'n1', reason: 'node' }, d('01:00:00', '2026-11-24'));
  return log;
}
