import t from 'tap';
import { handleNodeCommand } from '../../../src/commands/decider/nodeCommands.js';
import { nodeStreamId } from '../../../src/domain/streams.js';
import type { CommandContext } from '../../../src/commands/decider/handleCommand.js';
import { ConcurrencyError, IllegalStateError } from '../../../src/domain/errors.js';
import type { NodeCommand, RegisterNode } from '../../../src/domain/node/commands.js';
import { MemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { AppendResult, EventStore, NewEvent, ExpectedRevision } from '../../../src/eventstore/port.js';
import { collect } from '../../eventstore/contract/fixtures.js';
import { commandContext } from '../../support/commandContext.js';

const context = (commandId: string, overrides: Partial<CommandContext> = {}): CommandContext =>
  commandContext({ actor: 'admin:alice', correlationId: 'corr-1', causationId: 'cause-1', now: new Date('2026-11-23T10:00:00.000Z'), commandId, ...overrides });

const register = (nodeId = 'n1', secret = 's'): RegisterNode => ({
  type: 'RegisterNode',
  data: { nodeId, url: 'https://bbb1.example.com/bigbluebutton/api', secret, tags: [], loadFactor: 1 },
});

const stored = async (store: EventStore, nodeId = 'n1') => collect(store.readStream(nodeStreamId(nodeId)));

/** Lets a test run another command between this store's read and its next append, as a racing writer would. */
class RacingStore extends MemoryEventStore {
  beforeAppend: (() => Promise<void>)[] = [];

  override async append(streamId: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    const race = this.beforeAppend.shift();
    if (race) await race();
    return super.append(streamId, events, options);
  }
}

t.test('when the stream does not exist / appends with no_stream and returns events, state and position', async (t) => {
  const store = new MemoryEventStore();
  const result = await handleNodeCommand(store, register(), context('c1'));
  t.same(result.events.map((e) => e.type), ['NodeRegistered']);
  t.equal(result.revision, 0n);
  t.ok(result.position);
  t.match(result.state, { status: 'registered', url: 'https://bbb1.example.com/bigbluebutton/api/', adminState: 'enabled' });
  const [event] = await stored(store);
  t.same(event?.metadata, {
    actor: 'admin:alice',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    at: '2026-11-23T10:00:00.000Z',
    schemaVersion: 2,
  });
});

t.test('when the stream exists / folds it and appends after its last revision', async (t) => {
  const store = new MemoryEventStore();
  await handleNodeCommand(store, register(), context('c1'));
  const result = await handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2'));
  t.equal(result.revision, 1n);
  t.match(result.state, { adminState: 'cordoned' });
});

t.test('when decide emits nothing / appends nothing and reports the unchanged revision', async (t) => {
  const store = new MemoryEventStore();
  await handleNodeCommand(store, register(), context('c1'));
  const again = await handleNodeCommand(store, register(), context('c2'));
  t.same(again.events, []);
  t.equal(again.revision, 0n);
  t.equal(again.position, undefined);
  t.equal((await stored(store)).length, 1);
});

t.test('when decide throws / the error reaches the caller and nothing is appended', async (t) => {
  const store = new MemoryEventStore();
  await handleNodeCommand(store, register(), context('c1'));
  await t.rejects(handleNodeCommand(store, register('n1', 'other'), context('c2')), IllegalStateError);
  t.equal((await stored(store)).length, 1);
});

t.test('when another writer appends between read and append / retries on the new state', async (t) => {
  const store = new RacingStore();
  await handleNodeCommand(store, register(), context('c1'));
  store.beforeAppend.push(() => handleNodeCommand(store, { type: 'DisableNode', data: { nodeId: 'n1' } }, context('c-race')).then(() => {}));
  const result = await handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2'));
  t.same((await stored(store)).map((e) => e.type), ['NodeRegistered', 'NodeDisabled', 'NodeCordoned']);
  t.equal(result.revision, 2n);
});

t.test('when the race makes the command a no-op / the retry appends nothing', async (t) => {
  const store = new RacingStore();
  await handleNodeCommand(store, register(), context('c1'));
  const cordon: NodeCommand = { type: 'CordonNode', data: { nodeId: 'n1' } };
  store.beforeAppend.push(() => handleNodeCommand(store, cordon, context('c-race')).then(() => {}));
  const result = await handleNodeCommand(store, cordon, context('c2'));
  t.same(result.events, []);
  t.same((await stored(store)).map((e) => e.type), ['NodeRegistered', 'NodeCordoned']);
});

t.test('when other writers win every attempt / gives up with a ConcurrencyError', async (t) => {
  const store = new RacingStore();
  await handleNodeCommand(store, register(), context('c1'));
  const flip = ['DisableNode', 'EnableNode', 'DisableNode', 'EnableNode'] as const;
  for (const [i, type] of flip.entries()) {
    store.beforeAppend.push(() => handleNodeCommand(new MemoryEventStoreView(store), { type, data: { nodeId: 'n1' } }, context(`race-${i}`)).then(() => {}));
  }
  await t.rejects(handleNodeCommand(store, { type: 'CordonNode', data: { nodeId: 'n1' } }, context('c2')), ConcurrencyError);
});

t.test('when the same command runs twice concurrently / deterministic ids make the second append a replay', async (t) => {
  const store = new MemoryEventStore();
  const [a, b] = await Promise.all([
    handleNodeCommand(store, register(), context('same-command')),
    handleNodeCommand(store, register(), context('same-command')),
  ]);
  const events = await stored(store);
  t.equal(events.length, 1, 'one registration stored');
  t.equal(a.position, b.position, 'both callers see the same append');
  t.same(a.events, b.events);
});

t.test('event ids derive from the command id and the event index', async (t) => {
  const one = new MemoryEventStore();
  const two = new MemoryEventStore();
  await handleNodeCommand(one, register(), context('cmd-42'));
  await handleNodeCommand(two, register(), context('cmd-42'));
  const [first] = await stored(one);
  const [second] = await stored(two);
  t.equal(first?.id, second?.id);
  await handleNodeCommand(two, register('n2'), context('cmd-43'));
  const [third] = await stored(two, 'n2');
  t.not(third?.id, first?.id);
});

/** The racing writers append through the base class so they are not themselves raced. */
class MemoryEventStoreView extends MemoryEventStore {
  constructor(private readonly target: RacingStore) {
    super();
  }
  override append(streamId: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    return MemoryEventStore.prototype.append.call(this.target, streamId, events, options);
  }
  override readStream(streamId: string) {
    return this.target.readStream(streamId);
  }
}
