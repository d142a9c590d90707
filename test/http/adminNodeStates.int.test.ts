import t, { type Test } from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { adminToken, call } from '../support/httpHarness.js';

/** Polling once a minute at a closed local port: health stays `unknown` (one failure is not enough). */
const startApp = (t: Test, readModels: 'in-process' | 'redis') => startAdminProduct(t, readModels, { POLL_INTERVAL_MS: '60000' });

const registration = { url: 'http://127.0.0.1:9/bigbluebutton/api/', secret: 'node-secret-never-shown', tags: ['eu'], loadFactor: 1 };

for (const readModels of ['in-process', 'redis'] as const) {
  t.test(`with ${readModels} read models`, async (t) => {
    const { base, composed } = await startApp(t, readModels);
    const token = await adminToken();
    const register = async (body: Record<string, unknown> = registration) => call(base, '/admin/api/v1/nodes', { method: 'POST', token, body });
    const act = (id: string, action: string) => call(base, `/admin/api/v1/nodes/${id}/${action}`, { method: 'POST', token });

    t.test('registration takes a checksum algorithm (default sha256); the list shows state, health and load, never the secret', async (t) => {
      const created = await register({ ...registration, checksumAlgorithm: 'sha1' });
      t.equal(created.status, 201);
      t.match(created.body, { checksumAlgorithm: 'sha1', adminState: 'enabled', health: 'unknown', meetings: 0, participants: 0 });
      const plain = await register({ ...registration, url: 'http://127.0.0.1:9/other/bigbluebutton/api/' });
      t.equal(plain.body?.checksumAlgorithm, 'sha256');
      const list = await call(base, '/admin/api/v1/nodes', { token });
      t.match(list.body?.nodes, [{ id: created.body?.id, checksumAlgorithm: 'sha1' }, { id: plain.body?.id, checksumAlgorithm: 'sha256' }]);
      t.notMatch(JSON.stringify(list.body), /node-secret-never-shown/);
      const id = String(created.body?.id);
      t.match(composed.nodeDirectory.get(id), { secret: 'node-secret-never-shown', checksumAlgorithm: 'sha1' }, 'placement has the secret');
    });

    t.test('a checksum algorithm that is not one of the four answers 400 naming the field', async (t) => {
      for (const checksumAlgorithm of ['md5', 'SHA256', 42]) {
        const res = await register({ ...registration, checksumAlgorithm });
        t.equal(res.status, 400);
        t.match(res.body, { code: 'VALIDATION_FAILED', field: 'checksumAlgorithm' });
      }
    });

    t.test('cordon, disable, enable: 200 with the node, in effect for placement at once, the admin as actor', async (t) => {
      const id = String((await register({ ...registration, url: 'http://127.0.0.1:9/c/bigbluebutton/api/' })).body?.id);
      for (const [action, adminState] of [['cordon', 'cordoned'], ['disable', 'disabled'], ['enable', 'enabled'], ['cordon', 'cordoned']] as const) {
        const res = await act(id, action);
        t.equal(res.status, 200, action);
        t.match(res.body, { id, adminState, health: 'unknown' });
        t.notMatch(JSON.stringify(res.body), /node-secret-never-shown/);
        t.equal(composed.nodeDirectory.get(id)?.adminState, adminState, `${action}: the directory already has it`);
        t.equal((await call(base, `/admin/api/v1/nodes/${id}`, { token })).body?.adminState, adminState);
      }
      const repeated = await act(id, 'cordon');
      t.equal(repeated.status, 200, 'repeating is harmless');
      const actors: string[] = [];
      for await (const event of composed.store.readStream(`node-${id}`)) actors.push(`${event.type} ${event.metadata.actor}`);
      t.same(actors, ['NodeRegistered admin:alice', 'NodeCordoned admin:alice', 'NodeDisabled admin:alice', 'NodeEnabled admin:alice', 'NodeCordoned admin:alice']);
    });

    t.test('decommission is final: 200, again 200, anything else 409', async (t) => {
      const id = String((await register({ ...registration, url: 'http://127.0.0.1:9/d/bigbluebutton/api/' })).body?.id);
      const res = await act(id, 'decommission');
      t.equal(res.status, 200);
      t.match(res.body, { id, adminState: 'decommissioned' });
      t.equal(composed.nodeDirectory.get(id)?.adminState, 'decommissioned');
      t.equal((await act(id, 'decommission')).status, 200);
      for (const action of ['enable', 'cordon', 'disable']) {
        const refused = await act(id, action);
        t.equal(refused.status, 409, action);
        t.match(refused.headers.get('content-type'), /^application\/problem\+json/);
        t.match(refused.body, { code: 'ILLEGAL_STATE', status: 409, detail: /decommissioned/ });
      }
    });

    t.test('an unknown node answers 404 problem details for every action', async (t) => {
      for (const action of ['enable', 'cordon', 'disable', 'decommission']) {
        const res = await act('no-such-node', action);
        t.equal(res.status, 404, action);
        t.match(res.body, { code: 'NOT_FOUND', detail: /no-such-node/ });
      }
    });

    t.test('without a token the actions answer 401', async (t) => {
      t.equal((await call(base, '/admin/api/v1/nodes/x/cordon', { method: 'POST' })).status, 401);
    });
  });
}
