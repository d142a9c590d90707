import t from 'tap';
import { call } from '../support/httpHarness.js';
import { makeTar, scaleliteEntries } from '../support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';

t.test('POST /admin/api/v1/recordings/:recordID/render / one RecordingRenderRequested per profile by the operator; bad input refused', async (t) => {
  // RENDER_PROFILES=none here: the requests are recorded, nothing renders (recordingRender.int.test.ts renders).
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'to render');
  const videoOnly = await p.meeting('acme', SECRETS.acme, 'no slides');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  t.equal((await p.imported(await makeTar(scaleliteEntries(videoOnly, ['video'])))).state, 'imported');
  const render = (id: string, body?: unknown) => call(p.base, `/admin/api/v1/recordings/${id}/render`, { method: 'POST', token: p.token, ...(body === undefined ? {} : { body }) });

  const off = await render(recordId);
  t.equal(off.status, 409, 'no profiles named and RENDER_PROFILES=none');
  t.match((off.body as { detail: string }).detail, /RENDER_PROFILES/);
  for (const body of [{ profiles: ['square'] }, { profiles: [] }, { profiles: 'video' }, { profile: ['video'] }]) t.equal((await render(recordId, body)).status, 400, JSON.stringify(body));
  t.equal((await render('0'.repeat(40) + '-1700000000000', { profiles: ['video'] })).status, 404, 'unknown recording');
  t.equal((await render(videoOnly, { profiles: ['video'] })).status, 409, 'nothing to render from');

  const asked = await render(recordId, { profiles: ['video', 'composite'] });
  t.equal(asked.status, 202);
  t.same(asked.body, { recordId, requested: ['video', 'composite'], underway: [] });
  t.same((await render(recordId, { profiles: ['video'] })).body, { recordId, requested: [], underway: ['video'] }, 'asked again while underway: nothing new');

  const events: string[] = [];
  for await (const event of p.store.readStream(`recording-${recordId}`)) if (event.type === 'RecordingRenderRequested') events.push(`${(event.data as { profile: string }).profile} ${(event.data as { by: string }).by} ${event.metadata.actor}`);
  t.same(events, ['video operator admin:alice', 'composite operator admin:alice']);
});
