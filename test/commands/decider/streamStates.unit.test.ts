import t from 'tap';
import { handleCommand, loadAggregate, type CommandContext } from '../../../src/commands/decider/handleCommand.js';
import { StreamStates } from '../../../src/commands/decider/streamStates.js';
import { nodeDecider } from '../../../src/domain/node/decider.js';
import type { NodeState } from '../../../src/domain/node/state.js';
import { nodeStreamId } from '../../../src/domain/streams.js';
import type { RegisterNode } from '../../../src/domain/node/commands.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { ReadStreamOptions, RecordedEvent } from '../../../src/eventstore/port.js';
import { commandContext } from '../../support/commandContext.js';

const context = (commandId: string): CommandContext => commandContext({ actor: 'admin:alice', now: new Date('2026-12-05T10:00:00Z'), commandId });
const register: RegisterNode = { type: 'RegisterNode', data: { nodeId: 'n1', url: 'https://bbb1.example.com/bigbluebutton/api', secret: 's', tags: [], loadFactor: 1 } };
const cordon = { type: 'CordonNode' as const, data: { nodeId: 'n1' } };
const enable = { type: 'EnableNode' as const, data: { nodeId: 'n1' } };
const stream = nodeStreamId('n1');

/** Records where each stream read started and how many events it gave; `afterRead` runs once, after the next read. */
class WatchedStore extends MemoryEventStore {
  reads: Array<{ from: ReadStreamOptions['fromRevision']; events: number }> = [];
  afterRead: (() => Promise<void>) | undefined;
  override async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    const read = { from: options?.fromRevision, events: 0 };
    this.reads.push(read);
    for await (const event of super.readStream(streamId, options)) {
      read.events += 1;
      yield event;
    }
    const after = this.afterRead;
    this.afterRead = undefined;
    await after?.();
  }
}

t.test('given a stream this process commanded / when the next command comes / it reads only what was appended since', async (t) => {
  const store = new WatchedStore();
  const states = new StreamStates<NodeState>(10);
  await handleCommand(store, nodeDecider, stream, register, context('c1'), undefined, states);
  await handleCommand(store, nodeDecider, stream, cordon, context('c2'), undefined, states);
  t.same(store.reads, [{ from: undefined, events: 0 }, { from: 1n, events: 0 }], 'the first read is whole (nothing yet), the second starts after the registration');
  t.same(states.get(stream)?.revision, 1n);
});

t.test('given another writer appended meanwhile / when this process commands / it decides on the stream as stored', async (t) => {
  const store = new WatchedStore();
  const states = new StreamStates<NodeState>(10);
  await handleCommand(store, nodeDecider, stream, register, context('c1'), undefined, states);
  await handleCommand(store, nodeDecider, stream, cordon, context('c2')); // another process: no states
  // Enable is a no-op on the remembered (enabled) state; the stored one is cordoned.
  const enabled = await handleCommand(store, nodeDecider, stream, enable, context('c3'), undefined, states);
  t.same(enabled.events.map((e) => e.type), ['NodeEnabled']);
  t.same(store.reads.at(-1), { from: 1n, events: 1 }, 'the cordon was read from the tail');
});

t.test('given a write between the read and the append / when the append conflicts / the stream is read whole again', async (t) => {
  const store = new WatchedStore();
  const states = new StreamStates<NodeState>(10);
  await handleCommand(store, nodeDecider, stream, register, context('c1'), undefined, states);
  await loadAggregate(store, nodeDecider, stream, states);
  store.afterRead = async () => void (await handleCommand(store, nodeDecider, stream, cordon, context('other')));
  const result = await handleCommand(store, nodeDecider, stream, cordon, context('c2'), undefined, states);
  t.same(result.events, [], 'decided again on the node the other writer cordoned: nothing left to do');
  t.same(store.reads.at(-1), { from: undefined, events: 2 }, 'after the conflict, read from the start');
  t.equal(states.get(stream)?.revision, 1n, 'remembered as read: the register and the other writer’s cordon');
});

t.test('given a remembered stream that was deleted / when it is read / the state starts over', async (t) => {
  const store = new WatchedStore();
  const states = new StreamStates<NodeState>(10);
  await handleCommand(store, nodeDecider, stream, register, context('c1'), undefined, states);
  await store.deleteStream(stream);
  const loaded = await loadAggregate(store, nodeDecider, stream, states);
  t.same(loaded, { state: nodeDecider.initialState(), revision: undefined });
  t.equal(states.get(stream), undefined);
});

t.test('given more streams than it may keep / the least recently used goes first', async (t) => {
  const states = new StreamStates<string>(2);
  states.set('a', { state: 'A', revision: 0n });
  states.set('b', { state: 'B', revision: 0n });
  states.get('a');
  states.set('c', { state: 'C', revision: 0n });
  t.equal(states.size, 2);
  t.equal(states.get('b'), undefined, 'b was used least recently');
  t.same(states.get('a'), { state: 'A', revision: 0n });
});
