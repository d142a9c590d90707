import { randomUUID } from 'node:crypto';
import { nodeMeetingIdOf } from '../src/domain/meeting/meetingKey.js';
import type { NewEvent } from '../src/eventstore/port.js';

/**
 * Well-formed domain events in a plausible mix: 20 tenants, 30 nodes, meetings of placed → created →
 * 4–40 joins → ended, health flaps, admin actions; ~2 minutes apart per meeting step, over several days.
 */
export function* generateTraffic(total: number): Generator<{ streamId: string; revision: number; event: NewEvent }> {
  const revisions = new Map<string, number>();
  let clock = Date.UTC(2026, 10, 1);
  let count = 0;
  const emit = (streamId: string, type: string, data: NewEvent['data'], actor: string) => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    count += 1;
    const id = randomUUID();
    const at = new Date(clock).toISOString();
    return { streamId, revision, event: { id, type, data, metadata: { actor, correlationId: id, causationId: id, at, schemaVersion: type === 'NodeRegistered' ? 2 : 1 } } };
  };
  for (let t = 0; t < 20; t++) yield emit(`tenant-t${t}`, 'TenantRegistered', { tenant: `t${t}` }, 'admin:bench');
  for (let n = 0; n < 30; n++) {
    yield emit(`node-n${n}`, 'NodeRegistered', { nodeId: `n${n}`, url: `https://n${n}.example.com/bigbluebutton/api/`, secret: 's', checksumAlgorithm: 'sha256', tags: [], loadFactor: 1 }, 'admin:bench');
    yield emit(`node-n${n}`, 'NodeHealthChanged', { nodeId: `n${n}`, health: 'available', previous: 'unknown', reason: 'probeSucceeded', detail: '3' }, 'saga:nodeHealth');
  }
  const running: Array<{ stream: string; identity: { tenant: string; scope: string; meetingID: string }; nodeId: string; left: number }> = [];
  let m = 0;
  while (count < total) {
    clock += 1000;
    if (running.length < 200 || m % 3 === 0) {
      const tenant = `t${m % 20}`;
      const identity = { tenant, scope: tenant, meetingID: `room-${m % 5000}` };
      const nodeMeetingID = nodeMeetingIdOf(tenant, identity.meetingID);
      const stream = `meeting-${nodeMeetingID}`;
      if (!running.some((r) => r.stream === stream)) {
        const nodeId = `n${m % 30}`;
        yield emit(stream, 'MeetingPlaced', { ...identity, nodeId, nodeMeetingID, params: { name: `Room ${m}`, record: m % 4 === 0 ? 'true' : 'false' }, body: null }, `tenant:${tenant}`);
        yield emit(stream, 'MeetingCreated', { ...identity, nodeId, nodeMeetingID, internalMeetingID: `int-${m}`, createTime: clock, attendeePW: null, moderatorPW: null, voiceBridge: '70000', dialNumber: '', name: `Room ${m}`, metadata: {} }, `tenant:${tenant}`);
        running.push({ stream, identity, nodeId, left: 4 + (m % 37) });
      }
      m += 1;
    }
    const pick = running[count % running.length];
    if (!pick) continue;
    if (pick.left > 0) {
      pick.left -= 1;
      yield emit(pick.stream, 'MeetingJoined', { ...pick.identity, role: pick.left % 9 === 0 ? 'MODERATOR' : 'VIEWER', at: new Date(clock).toISOString() }, `tenant:${pick.identity.tenant}`);
    } else {
      running.splice(running.indexOf(pick), 1);
      yield emit(pick.stream, 'MeetingEnded', { ...pick.identity, nodeId: pick.nodeId, reason: 'api' }, `tenant:${pick.identity.tenant}`);
    }
    if (count % 10_000 === 0) {
      const n = `n${(count / 10_000) % 30}`;
      yield emit(`node-${n}`, 'NodeHealthChanged', { nodeId: n, health: 'unstable', previous: 'available', reason: 'timeout', detail: '1' }, 'saga:nodeHealth');
      yield emit(`node-${n}`, 'NodeHealthChanged', { nodeId: n, health: 'available', previous: 'unstable', reason: 'probeSucceeded', detail: '3' }, 'saga:nodeHealth');
    }
  }
}
