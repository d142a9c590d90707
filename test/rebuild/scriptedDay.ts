import { randomUUID } from 'node:crypto';
import { handleMeetingCommand } from '../../src/commands/decider/meetingCommands.js';
import { appendMeetingJoined } from '../../src/commands/observations/appendObserved.js';
import { handleNodeCommand } from '../../src/commands/decider/nodeCommands.js';
import { nodeStreamId } from '../../src/domain/streams.js';
import { handleTenantCommand } from '../../src/commands/decider/tenantCommands.js';
import type { CommandContext } from '../../src/commands/decider/handleCommand.js';
import { nodeMeetingIdOf } from '../../src/domain/meeting/meetingKey.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { newEvent } from '../support/events.js';
import { commandContext } from '../support/commandContext.js';

const DAY = Date.UTC(2026, 10, 17);

/** A day of traffic through the real command handlers: 2 tenants, 3 nodes, 40 meetings with joins, admin actions, a failover move. */
export async function scriptedDay(store: EventStore): Promise<void> {
  let clock = DAY + 6 * 3_600_000;
  const ctx = (actor: string, stepMs = 60_000): CommandContext => {
    clock += stepMs;
    return commandContext({ actor, now: new Date(clock), id: randomUUID() });
  };
  for (const tenant of ['acme', 'globex']) {
    await handleTenantCommand(store, { type: 'RegisterTenant', data: { tenant, secrets: [`${tenant}-secret-0123456789abcdef0123456789`] } }, ctx('admin:ops'));
  }
  const nodes = ['n1', 'n2', 'n3'];
  for (const nodeId of nodes) {
    const command = { type: 'RegisterNode' as const, data: { nodeId, url: `https://${nodeId}.example.com/bigbluebutton/api/`, secret: 'node-secret', tags: [], loadFactor: 1 } };
    await handleNodeCommand(store, command, ctx('admin:ops'));
    await health(store, nodeId, 'available', 'unknown', ctx('saga:nodeHealth'));
  }
  for (let i = 0; i < 40; i++) {
    const tenant = i % 3 === 0 ? 'globex' : 'acme';
    const meeting = { tenant, scope: tenant, meetingID: i % 5 === 4 ? `room-${i}` : `room-${i % 25}` };
    const nodeId = nodes[i % nodes.length]!;
    const nodeMeetingID = nodeMeetingIdOf(tenant, meeting.meetingID);
    const params = { name: `Room ${i}`, record: i % 4 === 0 ? 'true' : 'false' };
    await handleMeetingCommand(store, { type: 'PlaceMeeting', data: { ...meeting, nodeMeetingID, params, body: null, candidates: [nodeId] } }, ctx(`tenant:${tenant}`));
    if (i % 13 === 5) {
      await handleMeetingCommand(store, { type: 'RecordMeetingCreateFailed', data: { ...meeting, nodeId, reason: 'timeout', detail: 'slow' } }, ctx(`tenant:${tenant}`, 1000));
      continue;
    }
    const created = { internalMeetingID: `int-${i}`, createTime: clock, attendeePW: null, moderatorPW: null, voiceBridge: `7${String(i).padStart(4, '0')}`, dialNumber: '' };
    await handleMeetingCommand(store, { type: 'RecordMeetingCreated', data: { ...meeting, nodeId, ...created } }, ctx(`tenant:${tenant}`, 1000));
    for (let j = 0; j < (i % 7) + 1; j++) {
      const context = ctx(`tenant:${tenant}`, 30_000);
      await appendMeetingJoined(store, meeting, { moderators: j === 0 ? 1 : 0, viewers: j === 0 ? 0 : 1 }, { from: context.now, to: context.now }, context);
    }
    if (i % 5 !== 4) await handleMeetingCommand(store, { type: 'EndMeeting', data: { ...meeting, reason: 'api' } }, ctx(`tenant:${tenant}`, 20 * 60_000));
    if (i === 20) {
      await handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n2' } }, ctx('admin:alice'));
      await health(store, 'n3', 'offline', 'available', ctx('saga:nodeHealth'));
      // failover takes room-14 (left running on n3) to n1; it ends there later
      const copy = { internalMeetingID: 'int-14-n1', createTime: clock, attendeePW: null, moderatorPW: null, voiceBridge: '70014', dialNumber: '' };
      const move = { tenant: 'acme', scope: 'acme', meetingID: 'room-14', incarnation: 1, from: 'n3', to: 'n1', cause: 'nodeOffline' as const, created: copy };
      await handleMeetingCommand(store, { type: 'MoveMeeting', data: move }, ctx('saga:failover'));
    }
  }
  await handleMeetingCommand(store, { type: 'EndMeeting', data: { tenant: 'acme', scope: 'acme', meetingID: 'room-14', reason: 'api' } }, ctx('tenant:acme', 30 * 60_000));
  await handleNodeCommand(store, { type: 'EnableNode', data: { nodeId: 'n2' } }, ctx('admin:alice', 3_600_000));
  await health(store, 'n3', 'available', 'offline', ctx('saga:nodeHealth'));
}

/** The health saga's outcome, appended as its decide would (probe streaks are the saga's business). */
async function health(store: EventStore, nodeId: string, to: string, from: string, context: CommandContext): Promise<void> {
  const reason = to === 'available' ? 'probeSucceeded' : 'timeout';
  const { actor, correlationId, causationId, now } = context;
  await store.append(nodeStreamId(nodeId), [
    newEvent('NodeHealthChanged', { nodeId, health: to, previous: from, reason, detail: 'scripted' }, { actor, correlationId, causationId, at: now.toISOString(), schemaVersion: 1 }),
  ]);
}
