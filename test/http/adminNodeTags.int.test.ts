import t, { type Test } from 'tap';
import { startAdminProduct } from '../support/adminProduct.js';
import { adminToken, call } from '../support/httpHarness.js';

const startApp = (t: Test, readModels: 'in-process' | 'redis') => startAdminProduct(t, readModels, { POLL_INTERVAL_MS: '60000' });

for (const readModels of ['in-process', 'redis'] as const) {
  t.test(`PUT /admin/api/v1/nodes/:id/tags with ${readModels} read models / re-tags the node for the next placement`, async (t) => {
    const { base, composed } = await startApp(t, readModels);
    const token = await adminToken();
    const registration = { url: 'http://127.0.0.1:9/bigbluebutton/api/', secret: 'node-secret', tags: ['eu'], loadFactor: 1 };
    const id = ((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: registration })).body as { id: string }).id;
    const put = (body: unknown, nodeId = id) => call(base, `/admin/api/v1/nodes/${nodeId}/tags`, { method: 'PUT', token, body });

    const retagged = await put({ tags: ['large', 'gpu', 'large'] });
    t.equal(retagged.status, 200);
    t.same((retagged.body as { tags: string[] }).tags, ['gpu', 'large']);
    t.same(((await call(base, `/admin/api/v1/nodes/${id}`, { token })).body as { tags: string[] }).tags, ['gpu', 'large'], 'a following GET agrees');
    t.same(composed.nodeDirectory.get(id)?.tags, ['gpu', 'large'], 'placement sees the new tags when the answer comes');
    t.equal((await put({ tags: ['gpu', 'large'] })).status, 200, 'again: nothing changes');
    t.same(((await put({ tags: [] })).body as { tags: string[] }).tags, [], 'an empty set untags it');

    t.equal((await put({ tags: 'gpu' })).status, 400);
    t.equal((await put({ tags: ['no spaces'] })).status, 400);
    t.equal((await put({ tags: [], extra: true })).status, 400);
    t.equal((await put([])).status, 400);
    t.equal((await put({ tags: ['x'] }, 'nobody')).status, 404);
    t.equal((await call(base, `/admin/api/v1/nodes/${id}/tags`, { method: 'PUT', body: { tags: [] } })).status, 401, 'admins only');
  });
}
