import { randomUUID } from 'node:crypto';
import t from 'tap';
import { freshDatabase } from '../eventstore/postgresTestDb.js';
import { startAdminProduct } from '../support/adminProduct.js';
import { eventually } from '../support/eventually.js';
import { adminToken, call } from '../support/httpHarness.js';

/** Two instances on one PostgreSQL event store: one secret, one tenant, even when both add it at the same moment (issue 10 item 8). */
const T = '/admin/api/v1/tenants';
// The file's own database, dropped after the subtests' instances stopped.
const EVENTSTORE = await freshDatabase(t);

t.test('when two instances add one secret to two tenants at once / one answers 201, the other 409, and both then agree', async (t) => {
  const [a, b] = [await startAdminProduct(t, 'in-process', { EVENTSTORE }), await startAdminProduct(t, 'in-process', { EVENTSTORE })];
  const token = await adminToken();
  t.equal((await call(a!.base, T, { method: 'POST', token, body: { name: 'acme' } })).status, 201);
  t.equal((await call(b!.base, T, { method: 'POST', token, body: { name: 'globex' } })).status, 201);
  const secretsOf = async (base: string, tenant: string) => ((await call(base, `${T}/${tenant}`, { token })).body?.secrets as Array<{ secretId: string }> | undefined) ?? [];
  await eventually('both instances know both tenants', async () => (await secretsOf(a!.base, 'globex')).length === 1 && (await secretsOf(b!.base, 'acme')).length === 1, 5000);

  for (let i = 0; i < 5; i++) {
    const secret = `contested-${i}-${randomUUID()}`;
    const answers = await Promise.all([
      call(a!.base, `${T}/acme/secrets`, { method: 'POST', token, body: { secret } }),
      call(b!.base, `${T}/globex/secrets`, { method: 'POST', token, body: { secret } }),
    ]);
    t.same(answers.map((r) => r.status).sort(), [201, 409], `round ${i}`);
    t.match(answers.find((r) => r.status === 409)?.body, { code: 'SECRET_HELD_BY_ANOTHER_TENANT' });
  }
  await eventually('both instances list 6 secrets over the two tenants', async () => {
    const counts = await Promise.all([a!, b!].flatMap(({ base }) => ['acme', 'globex'].map(async (tenant) => (await secretsOf(base, tenant)).length)));
    return counts[0]! + counts[1]! === 7 && counts[2]! + counts[3]! === 7;
  }, 5000);
});
