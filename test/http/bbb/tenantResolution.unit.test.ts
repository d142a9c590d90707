import t from 'tap';
import { resolveBbbRoute, tenantLabelOfHost } from '../../../src/http/bbb/tenantResolution.js';

const BASE = 'lb.example.com';

t.test('by subdomain', async (t) => {
  t.same(resolveBbbRoute('acme.lb.example.com', '/bigbluebutton/api/create', BASE), {
    call: 'create',
    address: { tenant: 'acme', subId: 0, scope: 'acme' },
  });
  t.same(resolveBbbRoute('acme-007.lb.example.com', '/bigbluebutton/api/join', BASE)?.address, { tenant: 'acme', subId: 7, scope: 'acme-007' });
  t.same(resolveBbbRoute('ACME.LB.Example.COM:8443', '/bigbluebutton/api/end', BASE)?.address?.tenant, 'acme', 'case-insensitive, port ignored');
  t.same(resolveBbbRoute('acme.lb.example.com.', '/bigbluebutton/api/end', BASE)?.address?.tenant, 'acme', 'a fully qualified name with its dot');
});

t.test('the API root / is the empty call, with or without a trailing slash', async (t) => {
  t.equal(resolveBbbRoute('acme.lb.example.com', '/bigbluebutton/api', BASE)?.call, '');
  t.equal(resolveBbbRoute('acme.lb.example.com', '/bigbluebutton/api/', BASE)?.call, '');
  t.equal(resolveBbbRoute('acme.lb.example.com', '/bigbluebutton/api/create/', BASE)?.call, 'create');
});

t.test('by path / on any host, the path winning over the host', async (t) => {
  t.same(resolveBbbRoute('anything.example.org', '/t/acme/bigbluebutton/api/getMeetings', BASE), {
    call: 'getMeetings',
    address: { tenant: 'acme', subId: 0, scope: 'acme' },
  });
  t.same(resolveBbbRoute('other.lb.example.com', '/t/acme-042/bigbluebutton/api', BASE), {
    call: '',
    address: { tenant: 'acme', subId: 42, scope: 'acme-042' },
  });
  t.same(resolveBbbRoute('x', '/t/acme/bigbluebutton/api/create', undefined)?.address?.tenant, 'acme', 'no BASE_DOMAIN needed');
});

t.test('a BBB API path without a resolvable tenant / is still the BBB API, with no address', async (t) => {
  t.same(resolveBbbRoute('lb.example.com', '/bigbluebutton/api/create', BASE), { call: 'create', address: undefined });
  t.same(resolveBbbRoute('a.b.lb.example.com', '/bigbluebutton/api/create', BASE), { call: 'create', address: undefined });
  t.same(resolveBbbRoute('acme.elsewhere.org', '/bigbluebutton/api/create', BASE), { call: 'create', address: undefined });
  t.same(resolveBbbRoute('acme.lb.example.com', '/bigbluebutton/api/create', undefined), { call: 'create', address: undefined });
  t.same(resolveBbbRoute('x', '/t/Not_A_Tenant/bigbluebutton/api/create', BASE), { call: 'create', address: undefined });
  t.same(resolveBbbRoute('evil-lb.example.com', '/bigbluebutton/api/create', 'lb.example.com'), { call: 'create', address: undefined });
});

t.test('other paths / are not the BBB API', async (t) => {
  for (const path of ['/', '/admin/api/v1/tenants', '/bigbluebutton', '/bigbluebutton/apix', '/t/acme', '/t/acme/other', '/x/bigbluebutton/api']) {
    t.equal(resolveBbbRoute('acme.lb.example.com', path, BASE), undefined, path);
  }
});

t.test('tenantLabelOfHost / one label directly under the base domain', async (t) => {
  t.equal(tenantLabelOfHost('acme.lb.example.com', BASE), 'acme');
  t.equal(tenantLabelOfHost('acme.lb.example.com:80', 'LB.example.com.'), 'acme');
  t.equal(tenantLabelOfHost('lb.example.com', BASE), undefined);
  t.equal(tenantLabelOfHost('.lb.example.com', BASE), undefined);
  t.equal(tenantLabelOfHost('[::1]:8080', BASE), undefined);
  t.equal(tenantLabelOfHost('acme.lb.example.com', ''), undefined);
});
