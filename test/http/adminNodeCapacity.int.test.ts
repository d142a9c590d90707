import t from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { adminToken, call } from '../support/httpHarness.js';

for (const readModels of ['in-process', 'redis'] as const) {
  t.test(`PUT /admin/api/v1/nodes/:id with ${readModels} read models / sets the capacity placement reads`, async (t) => {
    const { base, composed } = await startAdminProduct(t, readModels, { POLL_INTERVAL_MS: '60000' });
    const token = await adminToken();
    const registration = { url: 'http://127.0.0.1:9/bigbluebutton/api/', secret: 'node-secret', tags: [], loadFactor: 1 };
    const id = ((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: registration })).body as { id: string }).id;
    const put = (body: unknown, nodeId = id) => call(base, `/admin/api/v1/nodes/${nodeId}`, { method: 'PUT', token, body });

    const capped = await put({ maxLoad: 200 });
    t.equal(capped.status, 200);
    t.equal((capped.body as { maxLoad: number }).maxLoad, 200);
    t.equal(((await call(base, `/admin/api/v1/nodes/${id}`, { token })).body as { maxLoad: number }).maxLoad, 200, 'a following GET agrees');
    t.equal(composed.nodeDirectory.get(id)?.maxLoad, 200, 'placement sees it when the answer comes');
    t.equal(((await put({ maxLoad: null })).body as { maxLoad: number | null }).maxLoad, null, 'null lifts the cap');

    for (const bad of [{ maxLoad: -1 }, { maxLoad: '200' }, { maxLoad: 1e12 }, {}, { maxLoad: 1, tags: [] }, [5]]) {
      const answer = await put(bad);
      t.equal(answer.status, 400, JSON.stringify(bad));
      t.match((answer.body as { detail: string }).detail, /maxLoad|unknown field/, JSON.stringify(bad));
    }
    t.equal(composed.nodeDirectory.get(id)?.maxLoad, null, 'nothing half-applied');
    t.equal((await put({ maxLoad: 5 }, 'nobody')).status, 404);
    t.equal((await call(base, `/admin/api/v1/nodes/${id}`, { method: 'PUT', body: { maxLoad: 1 } })).status, 401, 'admins only');
  });
}
