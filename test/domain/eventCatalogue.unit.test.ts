import t from 'tap';
import { decodeEvent, EventDecodeError, schemaVersionOf, type StoredEvent } from '../../src/domain/eventCatalogue.js';

const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  streamId: 'node-n1',
  revision: 3n,
  type: 'NodeRegistered',
  data: { nodeId: 'n1', url: 'https://b/bigbluebutton/api/', secret: 's', tags: ['a'], loadFactor: 1.5 },
  metadata: { schemaVersion: 1 },
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
  t.same(decodeEvent(stored()), {
    type: 'NodeRegistered',
    data: { nodeId: 'n1', url: 'https://b/bigbluebutton/api/', secret: 's', tags: ['a'], loadFactor: 1.5 },
  });
  t.same(decodeEvent(stored({ type: 'NodeCordoned', data: { nodeId: 'n1' } })), { type: 'NodeCordoned', data: { nodeId: 'n1' } });
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
  t.match(decodeError(stored({ metadata: { schemaVersion: 2 } })), /NodeRegistered at node-n1@3: schema version 2 .* up to 1/);
});

t.test('when the data has the wrong shape / should name the field', async (t) => {
  t.match(decodeError(stored({ data: { nodeId: 'n1' } })), /node-n1@3: data\.url must be a string/);
  t.match(decodeError(stored({ data: [] })), /data is not an object/);
  t.match(decodeError(stored({ data: { ...(stored().data as object), tags: [1] } })), /data\.tags/);
});

t.test('every event type has a schema version ≥ 1', async (t) => {
  for (const type of ['NodeRegistered', 'NodeEnabled', 'NodeCordoned', 'NodeDisabled'] as const) {
    t.ok(schemaVersionOf(type) >= 1, type);
  }
});
