import t from 'tap';
import { decodeEvent, EventDecodeError, schemaVersionOf, type StoredEvent } from '../../src/domain/eventCatalogue.js';
import { storedEvent } from '../support/events.js';

const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  ...storedEvent('NodeRegistered', { nodeId: 'n1', url: 'https://b/bigbluebutton/api/', secret: 's', tags: ['a'], loadFactor: 1.5 }, { streamId: 'node-n1', revision: 3n, schemaVersion: 1 }),
  ...overrides,
});

const decodeError = (event: StoredEvent): string => {
  try {
    decodeEvent(event);
  } catch (error) {
    if (error instanceof EventDecodeError) return error.message;
    throw error;
  }
  throw new Error('expected an EventDecodeError');
};

t.test('when the event is a known type at the current version / should decode its data', async (t) => {
  t.same(decodeEvent(stored({ data: { ...(stored().data as object), checksumAlgorithm: 'sha512' }, metadata: { schemaVersion: 2 } })), {
    type: 'NodeRegistered',
    data: { nodeId: 'n1', url: 'https://b/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha512', tags: ['a'], loadFactor: 1.5 },
  });
  t.same(decodeEvent(stored({ type: 'NodeCordoned', data: { nodeId: 'n1' } })), { type: 'NodeCordoned', data: { nodeId: 'n1' } });
});

t.test('when NodeRegistered is version 1 (before checksumAlgorithm) / should upcast it to sha256', async (t) => {
  t.same(decodeEvent(stored()), {
    type: 'NodeRegistered',
    data: { nodeId: 'n1', url: 'https://b/bigbluebutton/api/', secret: 's', checksumAlgorithm: 'sha256', tags: ['a'], loadFactor: 1.5 },
  });
  t.match(decodeError(stored({ metadata: { schemaVersion: 2 } })), /data\.checksumAlgorithm must be a string/);
});

t.test('NodeHealthChanged / decodes, and refuses a health it does not know', async (t) => {
  const data = { nodeId: 'n1', health: 'offline', previous: 'unstable', reason: 'timeout', detail: 'no answer within 5000 ms' };
  t.same(decodeEvent(stored({ type: 'NodeHealthChanged', data })), { type: 'NodeHealthChanged', data });
  t.match(decodeError(stored({ type: 'NodeHealthChanged', data: { ...data, health: 'unknown' } })), /data\.health must be one of available, unstable, offline/);
  t.same(decodeEvent(stored({ type: 'NodeDecommissioned', data: { nodeId: 'n1' } })), { type: 'NodeDecommissioned', data: { nodeId: 'n1' } });
});

t.test('when the data has extra fields / should drop them', async (t) => {
  t.same(decodeEvent(stored({ type: 'NodeEnabled', data: { nodeId: 'n1', extra: true } })), {
    type: 'NodeEnabled',
    data: { nodeId: 'n1' },
  });
});

t.test('when the type is unknown / should name the stream, revision and type', async (t) => {
  t.equal(decodeError(stored({ type: 'NodeExploded' })), 'cannot decode NodeExploded at node-n1@3: unknown event type');
});

t.test('when the schema version is newer than this code / should refuse with the versions', async (t) => {
  t.match(decodeError(stored({ metadata: { schemaVersion: 3 } })), /NodeRegistered at node-n1@3: schema version 3 .* up to 2/);
});

t.test('when the data has the wrong shape / should name the field', async (t) => {
  t.match(decodeError(stored({ data: { nodeId: 'n1' } })), /node-n1@3: data\.url must be a string/);
  t.match(decodeError(stored({ data: [] })), /data is not an object/);
  t.match(decodeError(stored({ data: { ...(stored().data as object), tags: [1] } })), /data\.tags/);
});

t.test('every event type has a schema version ≥ 1', async (t) => {
  for (const type of ['NodeRegistered', 'NodeEnabled', 'NodeCordoned', 'NodeDisabled', 'NodeDecommissioned', 'NodeHealthChanged'] as const) {
    t.ok(schemaVersionOf(type) >= 1, type);
  }
});

t.test('MeetingJoined / v2 counts a window of joins; v1 (one join) reads as a window of one', async (t) => {
  const identity = { tenant: 'acme', scope: 'acme', meetingID: 'm1' };
  const joined = (data: object, schemaVersion: number) => stored({ streamId: 'meeting-acme-x', type: 'MeetingJoined', data: { ...identity, ...data }, metadata: { schemaVersion } });
  const window = { moderators: 1, viewers: 3, from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:00:00.240Z' };
  t.same(decodeEvent(joined(window, 2)), { type: 'MeetingJoined', data: { ...identity, ...window } });
  t.same(decodeEvent(joined({ role: 'VIEWER', at: '2026-11-23T10:00:01.000Z' }, 1)), {
    type: 'MeetingJoined',
    data: { ...identity, moderators: 0, viewers: 1, from: '2026-11-23T10:00:01.000Z', to: '2026-11-23T10:00:01.000Z' },
  });
  t.match(decodeEvent(joined({ role: 'MODERATOR', at: '2026-11-23T10:00:01.000Z' }, 1)), { data: { moderators: 1, viewers: 0 } });
  t.match(decodeError(joined({ ...window, viewers: -1 }, 2)), /data\.viewers must be a whole number/);
  t.match(decodeError(joined({ ...window, moderators: 1.5 }, 2)), /data\.moderators must be a whole number/);
  t.match(decodeError(joined({ role: 'VIEWER', at: '2026-11-23T10:00:01.000Z' }, 2)), /data\.moderators must be a number/);
  t.equal(schemaVersionOf('MeetingJoined'), 2);
});
