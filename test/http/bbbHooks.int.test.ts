import t from 'tap';
import { get, startMeetingTestServer, TENANTS } from './support/meetingTestServer.js';

const server = await startMeetingTestServer({ hooksPerTenant: 3 });
t.teardown(() => server.close());
const { url } = server;
const call = (tenant: string, secret: string, name: string, params: Array<[string, string]> = []) => get(url(tenant, `hooks/${name}`, params, secret));
const hookIDs = (xml: Record<string, any> | undefined): string[] => {
  const hook = xml?.hooks?.hook;
  return (hook === undefined ? [] : Array.isArray(hook) ? hook : [hook]).map((h: { hookID: string }) => h.hookID);
};

t.test('hooks/create, list, destroy / bbb-webhooks answers, scoped to the secret that signed', async (t) => {
  const made = await call('acme', TENANTS.acme, 'create', [['callbackURL', 'https://lms.example/hook'], ['meetingID', 'room-1'], ['eventID', 'meeting-created,Meeting-Ended']]);
  t.match(made.xml, { returncode: 'SUCCESS', hookID: '1', permanentHook: 'false', rawData: 'false' });
  const again = await call('acme', TENANTS.acme, 'create', [['callbackURL', 'https://lms.example/hook']]);
  t.match(again.xml, { returncode: 'SUCCESS', hookID: '1', messageKey: 'duplicateWarning' }, 'a second hook for the same URL is the first');
  const sub = await call('acme-007', TENANTS.acme007, 'create', [['callbackURL', 'https://sub.example/hook']]);
  t.match(sub.xml, { returncode: 'SUCCESS', hookID: '2' });

  const listed = await call('acme', TENANTS.acme, 'list');
  t.same(hookIDs(listed.xml), ['1', '2'], "the tenant's main secret sees every hook of the tenant");
  t.match(listed.xml?.hooks.hook[0], { hookID: '1', callbackURL: 'https://lms.example/hook', meetingID: 'room-1', eventID: 'meeting-created,meeting-ended', permanentHook: 'false', rawData: 'false' });
  t.same(hookIDs((await call('acme-007', TENANTS.acme007, 'list')).xml), ['2'], 'a sub-secret sees only its own');
  t.same(hookIDs((await call('acme', TENANTS.acme, 'list', [['meetingID', 'room-2']])).xml), ['2'], "with a meetingID: that meeting's hooks and the global ones");
  t.same(hookIDs((await call('globex', TENANTS.globex, 'list')).xml), [], 'another tenant sees none');

  t.match((await call('acme-007', TENANTS.acme007, 'destroy', [['hookID', '1']])).xml, { returncode: 'FAILED', messageKey: 'destroyMissingHook' }, "a sub cannot destroy the tenant's hook");
  t.match((await call('globex', TENANTS.globex, 'destroy', [['hookID', '2']])).xml, { returncode: 'FAILED', messageKey: 'destroyMissingHook' }, "nor another tenant's");
  t.match((await call('acme-007', TENANTS.acme007, 'destroy', [['hookID', '2']])).xml, { returncode: 'SUCCESS', removed: 'true' });
  t.same(hookIDs((await call('acme', TENANTS.acme, 'list')).xml), ['1']);
  const types = (await server.events()).filter((e) => e.streamId === 'tenant-acme').map((e) => e.type);
  t.same(types.filter((type) => type.startsWith('Hook')), ['HookCreated', 'HookCreated', 'HookDestroyed'], 'hooks are tenant events; the duplicate recorded nothing');
});

t.test('bad input / BBB errors, never a 500', async (t) => {
  t.match((await call('globex', TENANTS.globex, 'create')).xml, { returncode: 'FAILED', messageKey: 'missingParamCallbackURL' });
  t.match((await call('globex', TENANTS.globex, 'create', [['callbackURL', 'not a url']])).xml, { returncode: 'FAILED', messageKey: 'createHookError', message: /absolute URL/ });
  t.match((await call('globex', TENANTS.globex, 'destroy')).xml, { returncode: 'FAILED', messageKey: 'missingParamHookID' });
  t.match((await call('globex', TENANTS.globex, 'destroy', [['hookID', '999']])).xml, { returncode: 'FAILED', messageKey: 'destroyMissingHook' });
  t.match((await call('globex', TENANTS.globex, 'destroy', [['hookID', 'abc']])).xml, { returncode: 'FAILED', messageKey: 'destroyMissingHook' });
  t.match((await call('globex', 'wrong-secret-0123456789', 'list')).xml, { returncode: 'FAILED', messageKey: 'checksumError' });
  const signedAsCreate = url('globex', 'create', [['callbackURL', 'https://x.example/']], TENANTS.globex).replace('/api/create?', '/api/hooks/create?');
  t.match((await get(signedAsCreate)).xml, { returncode: 'FAILED', messageKey: 'checksumError' }, 'the checksum covers the call name hooks/create');
});

t.test('a hook flood / refused past HOOKS_PER_TENANT with createHookError, nothing recorded', async (t) => {
  for (let i = 1; i <= 3; i++) t.match((await call('globex', TENANTS.globex, 'create', [['callbackURL', `https://flood.example/${i}`]])).xml, { returncode: 'SUCCESS' });
  const refused = await call('globex', TENANTS.globex, 'create', [['callbackURL', 'https://flood.example/4']]);
  t.equal(refused.status, 200);
  t.match(refused.xml, { returncode: 'FAILED', messageKey: 'createHookError', message: /HOOKS_PER_TENANT/ });
  t.equal((await server.events()).filter((e) => e.type === 'HookCreated' && e.streamId === 'tenant-globex').length, 3);
});
