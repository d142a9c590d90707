import t from 'tap';
import { handleCommand, type CommandContext } from '../../../src/commands/decider/handleCommand.js';
import { nodeDecider } from '../../../src/domain/node/decider.js';
import { nodeStreamId } from '../../../src/domain/streams.js';
import { NotFoundError } from '../../../src/domain/errors.js';
import type { RegisterNode } from '../../../src/domain/node/commands.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { ReadStreamOptions, RecordedEvent } from '../../../src/eventstore/port.js';
import { commandContext } from '../../support/commandContext.js';

const context = (commandId: string): CommandContext => commandContext({ actor: 'admin:alice', now: new Date('2026-12-04T10:00:00Z'), commandId });
const register: RegisterNode = { type: 'RegisterNode', data: { nodeId: 'n1', url: 'https://bbb1.example.com/bigbluebutton/api', secret: 's', tags: [], loadFactor: 1 } };
const stream = nodeStreamId('n1');
const fresh = () => ({ state: nodeDecider.initialState(), revision: undefined });

/** Counts stream reads: what a known stream saves. */
class CountingStore extends MemoryEventStore {
  reads = 0;
  override readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    this.reads += 1;
    return super.readStream(streamId, options);
  }
}

t.test('when the caller expects a new stream and it is new / appends with no_stream without reading', async (t) => {
  const store = new CountingStore();
  const result = await handleCommand(store, nodeDecider, stream, register, context('c1'), fresh());
  t.same(result.events.map((e) => e.type), ['NodeRegistered']);
  t.equal(result.revision, 0n);
  t.equal(store.reads, 0);
});

t.test('when the caller knows the state its last command left / the next command appends without reading', async (t) => {
  const store = new CountingStore();
  const registered = await handleCommand(store, nodeDecider, stream, register, context('c1'), fresh());
  const cordoned = await handleCommand(store, nodeDecider, stream, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2'), registered);
  t.equal(cordoned.revision, 1n);
  t.equal(store.reads, 0);
});

t.test('when the caller expects a new stream but it exists / the conflict re-reads and decides on the stored state', async (t) => {
  const store = new CountingStore();
  await handleCommand(store, nodeDecider, stream, register, context('c1'));
  const cordoned = await handleCommand(store, nodeDecider, stream, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2'), fresh());
  t.equal(cordoned.revision, 1n);
  t.match(cordoned.state, { adminState: 'cordoned' });
  t.equal(store.reads, 2, 'the first command read once, the second once after its refusal on the assumed state');
});

t.test('when the known state is stale and makes decide a no-op / the stream is read before answering', async (t) => {
  const store = new CountingStore();
  const registered = await handleCommand(store, nodeDecider, stream, register, context('c1'), fresh());
  await handleCommand(store, nodeDecider, stream, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2'));
  // Enabling looks like a no-op on the stale (enabled) state; the stored one is cordoned.
  const enabled = await handleCommand(store, nodeDecider, stream, { type: 'EnableNode', data: { nodeId: 'n1' } }, context('c3'), registered);
  t.same(enabled.events.map((e) => e.type), ['NodeEnabled']);
  t.equal(enabled.revision, 2n);
});

t.test('when the stored state refuses the command / the refusal reaches the caller', async (t) => {
  const store = new CountingStore();
  await t.rejects(handleCommand(store, nodeDecider, stream, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c1'), fresh()), NotFoundError);
});
