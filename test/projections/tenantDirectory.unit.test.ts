import t from 'tap';
import { handleTenantCommand } from '../../src/commands/decider/tenantCommands.js';
import type { TenantCommand } from '../../src/domain/tenant/commands.js';
import { secretIdOf } from '../../src/domain/tenant/validation.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { JsonValue, RecordedEvent } from '../../src/eventstore/port.js';
import { silentLogger } from '../../src/logging.js';
import { startProjection } from '../../src/projections/runner.js';
import { projectTenantDirectory, tenantDirectoryProjection } from '../../src/projections/tenantDirectory.js';
import { InMemoryTenantDirectory } from '../../src/projections/tenantDirectoryMemory.js';
import { eventLog, TEST_AT } from '../support/events.js';
import { commandContext } from '../support/commandContext.js';

const A = 'alpha-secret-0001';
const B = 'bravo-secret-0002';
const C = 'charlie-secret-03';

const log = eventLog({ actor: 'admin:t', streamId: 'tenant-acme', schemaVersion: 1 });
const recorded = (type: string, data: JsonValue, at = TEST_AT): RecordedEvent => log(type, data, { at });

const registered = recorded('TenantRegistered', { tenant: 'acme' });
const added = (secret: string, subId = 0) => recorded('TenantSecretAdded', { tenant: 'acme', secretId: secretIdOf(secret), secret, subId });
const revoked = (secret: string) => recorded('TenantSecretRevoked', { tenant: 'acme', secretId: secretIdOf(secret) });

t.test('TenantRegistered / registers the tenant at the event time', async (t) => {
  t.same(projectTenantDirectory(registered), [{ op: 'registerTenant', tenant: 'acme', registeredAt: '2026-11-23T10:00:00.000Z' }]);
});

t.test('TenantSecretAdded / puts the secret under its fingerprint and sub-id', async (t) => {
  t.same(projectTenantDirectory(added(B, 7)), [{ op: 'putSecret', tenant: 'acme', secretId: secretIdOf(B), subId: 7, secret: B }]);
});

t.test('TenantSecretRevoked / removes the secret by fingerprint', async (t) => {
  t.same(projectTenantDirectory(revoked(A)), [{ op: 'removeSecret', tenant: 'acme', secretId: secretIdOf(A) }]);
});

t.test('TenantTagsRequired / replaces the tenant\'s required node tags, applied twice the same', async (t) => {
  const ops = projectTenantDirectory(recorded('TenantTagsRequired', { tenant: 'acme', tags: ['eu', 'large'] }));
  t.same(ops, [{ op: 'setRequiredTags', tenant: 'acme', tags: ['eu', 'large'] }]);
  const directory = new InMemoryTenantDirectory();
  directory.apply(projectTenantDirectory(registered));
  directory.apply(ops);
  directory.apply(ops);
  t.same(directory.get('acme')?.requiredTags, ['eu', 'large']);
  directory.apply([{ op: 'setRequiredTags', tenant: 'acme', tags: [] }]);
  t.same(directory.get('acme')?.requiredTags, []);
  directory.apply([{ op: 'setRequiredTags', tenant: 'nobody', tags: ['eu'] }]);
  t.equal(directory.get('nobody'), undefined, 'tags of an unknown tenant are ignored');
});

t.test('an undecodable or foreign event / throws naming the event instead of skipping it', async (t) => {
  t.throws(() => projectTenantDirectory(recorded('TenantExploded', { tenant: 'acme' })), /TenantExploded at tenant-acme@\d+: unknown event type/);
  t.throws(() => projectTenantDirectory(recorded('NodeEnabled', { nodeId: 'n1' })), /not a tenant event/);
  t.throws(() => projectTenantDirectory(recorded('TenantSecretAdded', { tenant: 'acme', secretId: 'x', secret: A })), /subId/);
});

const history = [registered, added(A), added(B), added(C, 7), revoked(A), revoked(C)];

t.test('every event applied twice leaves the same directory as applied once', async (t) => {
  for (let upTo = 1; upTo <= history.length; upTo++) {
    const once = new InMemoryTenantDirectory();
    const twice = new InMemoryTenantDirectory();
    for (const event of history.slice(0, upTo)) {
      const ops = projectTenantDirectory(event);
      once.apply(ops);
      twice.apply(ops);
      twice.apply(ops);
    }
    const view = (d: InMemoryTenantDirectory) => ({ list: d.list(), main: d.secretsFor('acme', 0), sub7: d.secretsFor('acme', 7) });
    t.same(view(twice), view(once), `after ${history[upTo - 1]!.type}`);
  }
});

t.test('secretsFor / answers the active secrets of one hostname, undefined for unknown tenants and subs', async (t) => {
  const directory = new InMemoryTenantDirectory();
  for (const event of history.slice(0, 4)) directory.apply(projectTenantDirectory(event));
  t.same(directory.secretsFor('acme', 0), [A, B]);
  t.same(directory.secretsFor('acme', 7), [C]);
  t.equal(directory.secretsFor('acme', 8), undefined);
  t.equal(directory.secretsFor('other', 0), undefined);
  for (const event of history.slice(4)) directory.apply(projectTenantDirectory(event));
  t.same(directory.secretsFor('acme', 0), [B]);
  t.equal(directory.secretsFor('acme', 7), undefined, 'a sub whose secrets are all revoked is unknown');
});

t.test('list and get / show fingerprints and sub-ids, never the secrets, ordered by name', async (t) => {
  const directory = new InMemoryTenantDirectory();
  directory.apply([
    { op: 'registerTenant', tenant: 'zeta', registeredAt: '2026-01-01T00:00:00.000Z' },
    { op: 'registerTenant', tenant: 'acme', registeredAt: '2026-01-02T00:00:00.000Z' },
    { op: 'putSecret', tenant: 'acme', secretId: 'bbb', subId: 7, secret: C },
    { op: 'putSecret', tenant: 'acme', secretId: 'zzz', subId: 0, secret: A },
    { op: 'putSecret', tenant: 'acme', secretId: 'aaa', subId: 0, secret: B },
  ]);
  t.same(directory.list().map((d) => d.name), ['acme', 'zeta']);
  t.same(directory.get('acme'), {
    name: 'acme',
    registeredAt: '2026-01-02T00:00:00.000Z',
    secrets: [{ secretId: 'aaa', subId: 0 }, { secretId: 'zzz', subId: 0 }, { secretId: 'bbb', subId: 7 }],
    requiredTags: [],
    limits: null,
    parameters: [],
    subs: [],
    recordings: { retentionDays: null, protected: false },
    assets: {},
  });
  t.notMatch(JSON.stringify(directory.list()), new RegExp(`${A}|${B}|${C}`));
  t.equal(directory.get('nobody'), undefined);
});

t.test('TenantRecordingPolicyChanged / becomes the tenant’s recording policy, read by playback and shown by get', async (t) => {
  const directory = new InMemoryTenantDirectory();
  const [op] = projectTenantDirectory(recorded('TenantRecordingPolicyChanged', { tenant: 'acme', retentionDays: 30, protected: true }));
  directory.apply([{ op: 'registerTenant', tenant: 'acme', registeredAt: '2026-01-02T00:00:00.000Z' }, op!, op!]);
  t.same(directory.recordingPolicyOf('acme'), { retentionDays: 30, protected: true }, 'applied twice: the same');
  t.same(directory.get('acme')!.recordings, { retentionDays: 30, protected: true });
  t.same(directory.recordingPolicyOf('nobody'), { retentionDays: null, protected: false }, 'an unknown tenant has the default');
});

t.test('asset ops / the current asset per kind, and every hash the tenant had for URLs handed out before', async (t) => {
  const directory = new InMemoryTenantDirectory();
  const logoA = { hash: 'a'.repeat(64), size: 10, mime: 'image/png' };
  const logoB = { hash: 'b'.repeat(64), size: 20, mime: 'image/svg+xml' };
  const ops = [
    { op: 'registerTenant', tenant: 'acme', registeredAt: '2026-01-02T00:00:00.000Z' },
    { op: 'setAsset', tenant: 'acme', kind: 'logo', asset: logoA },
    { op: 'setAsset', tenant: 'acme', kind: 'logo', asset: logoB },
    { op: 'setAsset', tenant: 'acme', kind: 'css', asset: { hash: 'c'.repeat(64), size: 5, mime: 'text/css' } },
    { op: 'removeAsset', tenant: 'acme', kind: 'css' },
  ] as const;
  directory.apply([...ops]);
  directory.apply([...ops]);
  t.same(directory.assetOf('acme', 'logo'), logoB);
  t.equal(directory.assetOf('acme', 'css'), undefined);
  t.same(directory.pastAssetOf('acme', 'logo', logoA.hash), logoA);
  t.equal(directory.pastAssetOf('acme', 'slide', logoA.hash), undefined, 'a hash of another kind');
  t.equal(directory.assetOf('nobody', 'logo'), undefined);
  t.same(directory.get('acme')?.assets, { logo: logoB }, 'applied twice: the same model');
  t.same(projectTenantDirectory(recorded('TenantAssetRemoved', { tenant: 'acme', kind: 'css', hash: 'c'.repeat(64) })), [{ op: 'removeAsset', tenant: 'acme', kind: 'css' }]);
  t.same(projectTenantDirectory(recorded('TenantAssetSet', { tenant: 'acme', kind: 'logo', ...logoA })), [{ op: 'setAsset', tenant: 'acme', kind: 'logo', asset: logoA }]);
});

t.test('a secret op for an unregistered tenant / adds nothing', async (t) => {
  const directory = new InMemoryTenantDirectory();
  directory.apply([{ op: 'putSecret', tenant: 'ghost', secretId: 'x', subId: 0, secret: A }]);
  t.same(directory.list(), []);
  t.equal(directory.secretsFor('ghost', 0), undefined);
});

t.test('runner over the memory store / rebuilds the directory from the log and follows live commands', async (t) => {
  const store = new MemoryEventStore();
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  let n = 0;
  const run = (command: TenantCommand) =>
    handleTenantCommand(store, command, commandContext({ actor: 'admin:t', commandId: `cmd-${++n}` }));
  await run({ type: 'RegisterTenant', data: { tenant: 'acme', secrets: [A] } });
  const directory = new InMemoryTenantDirectory();
  const runner = startProjection({ store, projection: tenantDirectoryProjection, target: directory.target, logger: silentLogger, signal: controller.signal });
  await runner.caughtUp;
  t.same(directory.secretsFor('acme', 0), [A]);
  const { position } = await run({ type: 'AddTenantSecret', data: { tenant: 'acme', secret: B, subId: 3 } });
  await runner.waitFor(position!);
  t.same(directory.secretsFor('acme', 3), [B]);
});

t.test('limits and rules / shown by sub, compiled per scope, recompiled when they change', async (t) => {
  const directory = new InMemoryTenantDirectory();
  const rule = { call: 'join' as const, param: 'guest', mode: 'override' as const, value: 'false' };
  directory.apply([
    { op: 'registerTenant', tenant: 'acme', registeredAt: '2026-01-02T00:00:00.000Z' },
    { op: 'setLimits', tenant: 'acme', subId: 0, limits: { meetings: 5, attendees: null, mode: 'hard' } },
    { op: 'setParameters', tenant: 'acme', subId: 3, rules: [rule] },
  ]);
  t.match(directory.get('acme'), { limits: { meetings: 5, attendees: null, mode: 'hard' }, parameters: [], subs: [{ subId: 3, limits: null, parameters: [rule] }] });
  const sub3 = directory.policyFor('acme', 3);
  t.match(sub3.limits, { subId: 0, counted: 'tenant', meetings: 5 });
  t.same([...sub3.join.keys()], ['guest']);
  t.equal(directory.policyFor('acme', 3), sub3, 'compiled once');
  t.equal(directory.policyFor('acme', 0).join.size, 0, "the sub's rules are the sub's");
  directory.apply([{ op: 'setLimits', tenant: 'acme', subId: 3, limits: { meetings: 1, attendees: 2, mode: 'soft' } }]);
  t.match(directory.policyFor('acme', 3).limits, { subId: 3, counted: 'scope', meetings: 1, mode: 'soft' });
  t.equal(directory.policyFor('nobody', 0).limits, undefined);
});
