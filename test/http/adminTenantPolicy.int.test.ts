import t from 'tap';
import { startTenantTestServer } from './support/tenantTestServer.js';

const server = await startTenantTestServer();
t.teardown(() => server.close());

const T = '/admin/api/v1/tenants';
const rules = [
  { call: 'create', param: 'duration', mode: 'max', value: '240' },
  { call: 'join', param: 'userdata-bbb_hide_presentation', mode: 'override', value: 'true' },
];

t.before(async () => {
  const created = await server.admin('POST', T, { name: 'globex', secrets: ['globex-secret-aaaa'] });
  if (created.status !== 201) throw new Error(`setup: ${created.status}`);
});

t.test('PUT limits / 200 with the limits, shown in GET, the sub beside the tenant', async (t) => {
  const put = await server.admin('PUT', `${T}/globex/limits`, { meetings: 10, attendees: null, mode: 'hard' });
  t.equal(put.status, 200);
  t.same(put.body.limits, { meetings: 10, attendees: null, mode: 'hard' });
  const sub = await server.admin('PUT', `${T}/globex/subs/7/limits`, { meetings: 2, attendees: 50, mode: 'soft' });
  t.equal(sub.status, 200);
  const got = await server.admin('GET', `${T}/globex`);
  t.same(got.body.limits, { meetings: 10, attendees: null, mode: 'hard' });
  t.same(got.body.subs, [{ subId: 7, limits: { meetings: 2, attendees: 50, mode: 'soft' }, parameters: [] }]);
});

t.test('PUT parameters / replaces the whole set, shown in GET', async (t) => {
  t.equal((await server.admin('PUT', `${T}/globex/parameters`, { rules })).status, 200);
  t.same((await server.admin('GET', `${T}/globex`)).body.parameters, rules);
  const replaced = await server.admin('PUT', `${T}/globex/parameters`, { rules: [rules[0]] });
  t.same(replaced.body.parameters, [rules[0]]);
  t.equal((await server.admin('PUT', `${T}/globex/subs/3/parameters`, { rules: [rules[1]] })).status, 200);
  t.same((await server.admin('GET', `${T}/globex`)).body.subs.find((s: { subId: number }) => s.subId === 3).parameters, [rules[1]]);
});

t.test('bad input / 4xx naming the reason, nothing applied', async (t) => {
  const before = (await server.admin('GET', `${T}/globex`)).body;
  const refused: Array<[string, unknown, number, RegExp]> = [
    [`${T}/globex/limits`, { meetings: -1, attendees: null, mode: 'hard' }, 400, /meetings must be a whole number/],
    [`${T}/globex/limits`, { meetings: 2.5, attendees: null, mode: 'hard' }, 400, /meetings must be a whole number/],
    [`${T}/globex/limits`, { meetings: '3', attendees: null, mode: 'hard' }, 400, /meetings must be a whole number/],
    [`${T}/globex/limits`, { meetings: 3, attendees: 1, mode: 'strict' }, 400, /mode must be/],
    [`${T}/globex/limits`, { meetings: 3, seats: 1 }, 400, /unknown field/],
    [`${T}/globex/limits`, [1], 400, /JSON object/],
    [`${T}/globex/subs/abc/limits`, { meetings: 1, attendees: 1, mode: 'hard' }, 400, /sub-id/],
    [`${T}/globex/subs/1000/limits`, { meetings: 1, attendees: 1, mode: 'hard' }, 400, /sub-id/],
    [`${T}/nobody/limits`, { meetings: 1, attendees: 1, mode: 'hard' }, 404, /not registered/],
    [`${T}/nobody/parameters`, { rules }, 404, /not registered/],
    [`${T}/globex/parameters`, { rules: [rules[0], { ...rules[0], mode: 'override' }] }, 400, /rules\[1\].*contradicts rules\[0\]/],
    [`${T}/globex/parameters`, { rules: [{ call: 'create', param: 'duration', mode: 'max', value: 'long' }] }, 400, /rules\[0\].*whole number/],
    [`${T}/globex/parameters`, { rules: [{ call: 'create', param: 'record', mode: 'block', value: 'x' }] }, 400, /rules\[0\].*takes no value/],
    [`${T}/globex/parameters`, { rules: [{ call: 'join', param: 'meetingID', mode: 'override', value: 'x' }] }, 400, /rules\[0\].*meetingID/],
    [`${T}/globex/parameters`, { rules: [{ call: 'create', param: 'checksum', mode: 'block' }] }, 400, /rules\[0\].*checksum/],
    [`${T}/globex/parameters`, { rules: [{ call: 'end', param: 'x', mode: 'block' }] }, 400, /rules\[0\].*call must be/],
    [`${T}/globex/parameters`, { rules: 'all' }, 400, /rules is required/],
  ];
  for (const [path, body, status, detail] of refused) {
    const answer = await server.admin('PUT', path, body);
    t.equal(answer.status, status, `${path} ${JSON.stringify(body)}`);
    t.match(answer.body.detail, detail, `${path} ${JSON.stringify(body)}`);
  }
  t.same((await server.admin('GET', `${T}/globex`)).body, before, 'nothing half-applied');
});
