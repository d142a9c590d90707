import t from 'tap';
import { ValidationError, IllegalStateError, NotFoundError } from '../../../src/domain/errors.js';
import type { NodeCommand, RegisterNode } from '../../../src/domain/node/commands.js';
import { decide } from '../../../src/domain/node/decide.js';
import type { NodeEvent, NodeRegistered } from '../../../src/domain/node/events.js';
import { evolve, initialState } from '../../../src/domain/node/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<NodeCommand, NodeEvent, ReturnType<typeof initialState>>({ decide, evolve, initialState });

const register = (overrides: Partial<RegisterNode['data']> = {}): RegisterNode => ({
  type: 'RegisterNode',
  data: {
    nodeId: 'n1',
    url: 'https://bbb1.example.com/bigbluebutton/api/',
    secret: 's3cr3t',
    tags: ['eu'],
    loadFactor: 1,
    ...overrides,
  },
});

const registered = (overrides: Partial<NodeRegistered['data']> = {}): NodeRegistered => ({
  type: 'NodeRegistered',
  data: {
    nodeId: 'n1',
    url: 'https://bbb1.example.com/bigbluebutton/api/',
    secret: 's3cr3t',
    checksumAlgorithm: 'sha256',
    tags: ['eu'],
    loadFactor: 1,
    ...overrides,
  },
});

const enabled: NodeEvent = { type: 'NodeEnabled', data: { nodeId: 'n1' } };
const cordoned: NodeEvent = { type: 'NodeCordoned', data: { nodeId: 'n1' } };
const disabled: NodeEvent = { type: 'NodeDisabled', data: { nodeId: 'n1', reason: 'operator' } };
const decommissioned: NodeEvent = { type: 'NodeDecommissioned', data: { nodeId: 'n1' } };

t.test('RegisterNode', async (t) => {
  t.test('when the node is unknown / should register it', async () => {
    spec.given([]).when(register()).then([registered()]);
  });
  t.test('when the url lacks the trailing slash / should register the normalised url', async () => {
    spec.given([]).when(register({ url: 'https://BBB1.example.com/bigbluebutton/api' })).then([registered()]);
  });
  t.test('when tags repeat or are unsorted / should store them as a sorted set', async () => {
    spec.given([]).when(register({ tags: ['eu', 'big', 'eu'] })).then([registered({ tags: ['big', 'eu'] })]);
  });
  t.test('when the same registration is repeated / should do nothing (idempotent)', async () => {
    spec.given([registered()]).when(register({ url: 'https://bbb1.example.com/bigbluebutton/api' })).thenNothingHappens();
  });
  t.test('when registered again after being cordoned with the same data / should do nothing', async () => {
    spec.given([registered(), cordoned]).when(register()).thenNothingHappens();
  });
  t.test('when a checksum algorithm is given / should register the node with it', async () => {
    for (const checksumAlgorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      spec.given([]).when(register({ checksumAlgorithm })).then([registered({ checksumAlgorithm })]);
    }
  });
  t.test('when registered again with another checksum algorithm / should refuse', async () => {
    spec.given([registered()]).when(register({ checksumAlgorithm: 'sha512' })).thenThrows(IllegalStateError, /already registered/);
  });
  t.test('when registered again with the default algorithm spelled out / should do nothing', async () => {
    spec.given([registered()]).when(register({ checksumAlgorithm: 'sha256' })).thenNothingHappens();
  });
  t.test('when a decommissioned node is registered again with the same data / should do nothing (a retried POST)', async () => {
    spec.given([registered(), decommissioned]).when(register()).thenNothingHappens();
  });
  t.test('when registered again with a different secret / should refuse', async () => {
    spec.given([registered()]).when(register({ secret: 'other' })).thenThrows(IllegalStateError, /already registered/);
  });
  t.test('when registered again with different tags or load factor / should refuse', async () => {
    spec.given([registered()]).when(register({ tags: [] })).thenThrows(IllegalStateError);
    spec.given([registered()]).when(register({ loadFactor: 2 })).thenThrows(IllegalStateError);
    spec.given([registered()]).when(register({ url: 'https://bbb2.example.com/bigbluebutton/api/' })).thenThrows(IllegalStateError);
  });

  const invalid: [string, Partial<RegisterNode['data']>, RegExp][] = [
    ['a relative url', { url: '/bigbluebutton/api/' }, /not an absolute URL/],
    ['an ftp url', { url: 'ftp://bbb1.example.com/bigbluebutton/api/' }, /http or https/],
    ['a url not ending in /api/', { url: 'https://bbb1.example.com/bigbluebutton/' }, /BBB API/],
    ['a url with a query', { url: 'https://bbb1.example.com/bigbluebutton/api/?x=1' }, /query/],
    ['a url with credentials', { url: 'https://u:p@bbb1.example.com/bigbluebutton/api/' }, /credentials/],
    ['an empty secret', { secret: '' }, /secret/],
    ['a blank secret', { secret: '   ' }, /secret/],
    ['a zero load factor', { loadFactor: 0 }, /loadFactor/],
    ['a negative load factor', { loadFactor: -1 }, /loadFactor/],
    ['a NaN load factor', { loadFactor: Number.NaN }, /loadFactor/],
    ['an unknown checksum algorithm', { checksumAlgorithm: 'md5' }, /checksumAlgorithm "md5" must be one of sha1, sha256, sha384, sha512/],
    ['an upper-case checksum algorithm', { checksumAlgorithm: 'SHA256' }, /checksumAlgorithm/],
    ['an empty tag', { tags: [''] }, /tag/],
    ['a tag with spaces', { tags: ['e u'] }, /tag/],
    ['an empty node id', { nodeId: '' }, /node id/],
    ['a node id with a slash', { nodeId: 'a/b' }, /node id/],
  ];
  for (const [what, overrides, message] of invalid) {
    t.test(`when given ${what} / should reject it as invalid`, async () => {
      spec.given([]).when(register(overrides)).thenThrows(ValidationError, message);
    });
  }
  t.test('a validation error names the field', async (t) => {
    try {
      decide(register({ loadFactor: 0 }), initialState(), { now: new Date() });
      t.fail('expected a throw');
    } catch (error) {
      t.ok(error instanceof ValidationError);
      t.equal((error as ValidationError).field, 'loadFactor');
      t.equal((error as ValidationError).code, 'VALIDATION_FAILED');
    }
  });
});

const adminCommands = [
  { command: 'EnableNode', event: enabled, state: 'enabled' },
  { command: 'CordonNode', event: cordoned, state: 'cordoned' },
  { command: 'DisableNode', event: disabled, state: 'disabled' },
  { command: 'DecommissionNode', event: decommissioned, state: 'decommissioned' },
] as const;

for (const { command, event, state } of adminCommands) {
  const cmd = { type: command, data: { nodeId: 'n1' } } as NodeCommand;
  t.test(command, async (t) => {
    t.test('when the node is unknown / should answer not found', async () => {
      spec.given([]).when(cmd).thenThrows(NotFoundError, /not registered/);
    });
    t.test(`when the node is already ${state} / should do nothing`, async () => {
      const history = state === 'enabled' ? [registered()] : [registered(), event];
      spec.given(history).when(cmd).thenNothingHappens();
    });
    for (const other of adminCommands.filter((a) => a.state !== state && a.state !== 'decommissioned')) {
      t.test(`when the node is ${other.state} / should emit ${event.type}`, async () => {
        const history = other.state === 'enabled' ? [registered()] : [registered(), other.event];
        spec.given(history).when(cmd).then([event]);
      });
    }
    if (state !== 'decommissioned') {
      t.test('when the node is decommissioned / should refuse: decommissioning is final', async () => {
        spec.given([registered(), cordoned, decommissioned]).when(cmd).thenThrows(IllegalStateError, /decommissioned; that is final/);
      });
    }
  });
}

t.test('evolve', async (t) => {
  t.test('a registered node starts enabled with the registered data', async () => {
    spec.given([registered()]).thenState({
      status: 'registered',
      nodeId: 'n1',
      url: 'https://bbb1.example.com/bigbluebutton/api/',
      secret: 's3cr3t',
      checksumAlgorithm: 'sha256',
      tags: ['eu'],
      loadFactor: 1,
      maxLoad: null,
      adminState: 'enabled',
      health: 'unknown',
      removed: false,
      unknownReported: [],
    });
  });
  t.test('admin events change only the admin state', async () => {
    spec.given([registered(), cordoned, disabled]).thenState({
      status: 'registered',
      nodeId: 'n1',
      url: 'https://bbb1.example.com/bigbluebutton/api/',
      secret: 's3cr3t',
      checksumAlgorithm: 'sha256',
      tags: ['eu'],
      loadFactor: 1,
      maxLoad: null,
      adminState: 'disabled',
      health: 'unknown',
      removed: false,
      unknownReported: [],
    });
  });
  t.test('an admin event before registration leaves the node unregistered', async () => {
    spec.given([enabled]).thenState({ status: 'unregistered' });
    spec.given([decommissioned]).thenState({ status: 'unregistered' });
  });
  t.test('a health change changes only the health', async (t) => {
    const changed: NodeEvent = { type: 'NodeHealthChanged', data: { nodeId: 'n1', health: 'offline', previous: 'unknown', reason: 'timeout', detail: 'd' } };
    const state = [registered(), decommissioned, changed].reduce(evolve, initialState());
    t.match(state, { status: 'registered', adminState: 'decommissioned', health: 'offline', checksumAlgorithm: 'sha256' });
    t.same([changed].reduce(evolve, initialState()), { status: 'unregistered' });
  });
});
