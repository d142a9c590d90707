import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { eventually } from '../support/eventually.js';
import { call } from '../support/httpHarness.js';
import { makeTar, scaleliteEntries } from '../support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';

t.test('PUT /tenants/:name/recordings / bad input is a 400 naming the field, an unknown tenant a 404, nothing stored', async (t) => {
  const p = await startRecordingsProduct(t);
  const put = (tenant: string, body: unknown) => call(p.base, `/admin/api/v1/tenants/${tenant}/recordings`, { method: 'PUT', token: p.token, body });
  for (const [body, field] of [[{ retentionDays: 0 }, 'retentionDays'], [{ retentionDays: '30' }, 'retentionDays'], [{ retentionDays: 2.5 }, 'retentionDays'], [{ protected: 1 }, 'protected'], [{ keep: 3 }, 'keep'], [{}, 'retentionDays']] as const) {
    const answer = await put('acme', body);
    t.equal(answer.status, 400, JSON.stringify(body));
    t.equal((answer.body as { field?: string }).field, field, `names ${field}`);
  }
  t.equal((await put('nobody', { retentionDays: 3 })).status, 404);
  const tenant = await call(p.base, '/admin/api/v1/tenants/acme', { token: p.token });
  t.same((tenant.body as { recordings: unknown }).recordings, { retentionDays: null, protected: false }, 'the default: kept for good, links unsigned');
});

t.test('a tenant’s retention / expires its recordings older than it as RecordingExpired, deletes their files, leaves younger ones and other tenants’', async (t) => {
  const p = await startRecordingsProduct(t, { METRICS_TOKEN: 'metrics-token-for-retention' });
  const scrape = async () => (await fetch(`${p.base}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-retention' } })).text();
  const acmeId = await p.meeting('acme', SECRETS.acme, 'old lesson');
  const globexId = await p.meeting('globex', SECRETS.globex, 'their lesson');
  for (const id of [acmeId, globexId]) t.equal((await p.imported(await makeTar(scaleliteEntries(id)))).state, 'imported');
  const listed = async (label: string, secret: string, id: string) => (await p.xml(p.bbb(label, secret, 'getRecordings', [['recordID', id], ['state', 'any']]))).recordings?.recording?.length === 1;
  const put = (tenant: string, body: unknown) => call(p.base, `/admin/api/v1/tenants/${tenant}/recordings`, { method: 'PUT', token: p.token, body });

  await eventually('recordings counted per tenant', async () => /^bbb_ledger_tenant_recordings\{tenant="acme"\} 1$/m.test(await scrape()));
  const bytes = Number(/^bbb_ledger_tenant_recording_bytes\{tenant="acme"\} (\d+)$/m.exec(await scrape())?.[1]);
  t.ok(bytes > 4096 && bytes < 8192, `the bytes of its files: the 4096-byte webcams and the small ones (${bytes})`);
  t.match(await scrape(), /^bbb_ledger_saga_queue_depth\{saga="recordingImport"\} 0$/m, 'no import waiting');

  // The archives say the recordings started on 2023-11-14; a century of retention keeps them.
  const century = await put('acme', { retentionDays: 36_500 });
  t.equal(century.status, 200);
  t.same((century.body as { recordings: unknown }).recordings, { retentionDays: 36_500, protected: false });
  t.same(((await call(p.base, '/admin/api/v1/tenants/acme', { token: p.token })).body as { recordings: unknown }).recordings, { retentionDays: 36_500, protected: false }, 'shown by GET');

  t.equal((await put('acme', { retentionDays: 1 })).status, 200);
  await eventually('acme’s recording expired', async () => !(await listed('acme', SECRETS.acme, acmeId)));
  t.equal((await fetch(`${p.base}/presentation/${acmeId}/metadata.xml`)).status, 404, 'playback is 404');
  t.equal((await call(p.base, `/admin/api/v1/recordings/${acmeId}`, { token: p.token })).status, 404, 'gone from the admin API');
  await eventually('its files deleted', async () => (await stat(join(p.dir, 'store', 'acme', acmeId)).catch(() => undefined)) === undefined);

  const events: string[] = [];
  for await (const event of p.store.readStream(`recording-${acmeId}`)) events.push(`${event.type} ${event.metadata.actor}`);
  t.same(events.slice(-2), ['RecordingExpired saga:recordingRetention', 'RecordingObjectsDeleted saga:recordingObjectDeletion'], 'expired, then its objects deleted by the object deletion process');
  t.ok(await listed('globex', SECRETS.globex, globexId), 'another tenant’s recording stays');
  t.equal((await fetch(`${p.base}/presentation/${globexId}/metadata.xml`)).status, 200);
  await eventually('the expired recording no longer counted', async () => /^bbb_ledger_tenant_recordings\{tenant="acme"\} 0$/m.test(await scrape()));
  t.match(await scrape(), /^bbb_ledger_tenant_recording_bytes\{tenant="acme"\} 0$/m);
  t.match(await scrape(), /^bbb_ledger_tenant_recordings\{tenant="globex"\} 1$/m);

  const again = await p.imported(await makeTar(scaleliteEntries(acmeId)));
  t.equal(again.reason, 'recordingDeleted', 'an expired recording is not brought back by a late upload');
});
