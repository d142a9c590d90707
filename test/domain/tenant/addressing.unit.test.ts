import t from 'tap';
import { parseTenantLabel, tenantScope } from '../../../src/domain/tenant/addressing.js';

t.test('parseTenantLabel', async (t) => {
  const cases: [string, ReturnType<typeof parseTenantLabel>][] = [
    ['acme', { tenant: 'acme', subId: 0, scope: 'acme' }],
    ['ACME', { tenant: 'acme', subId: 0, scope: 'acme' }],
    ['acme-007', { tenant: 'acme', subId: 7, scope: 'acme-007' }],
    ['acme-999', { tenant: 'acme', subId: 999, scope: 'acme-999' }],
    ['acme-000', { tenant: 'acme', subId: 0, scope: 'acme' }],
    ['my-org-042', { tenant: 'my-org', subId: 42, scope: 'my-org-042' }],
    ['acme-07', { tenant: 'acme-07', subId: 0, scope: 'acme-07' }],
    ['acme-0007', { tenant: 'acme-0007', subId: 0, scope: 'acme-0007' }],
    ['acme-007-001', undefined],
    ['a', undefined],
    ['-acme', undefined],
    ['1acme', undefined],
    ['ac_me', undefined],
    ['', undefined],
  ];
  for (const [label, expected] of cases) {
    t.same(parseTenantLabel(label), expected, `"${label}"`);
  }
});

t.test('tenantScope / sub 0 is the tenant itself, others are zero-padded to three digits', async (t) => {
  t.equal(tenantScope('acme', 0), 'acme');
  t.equal(tenantScope('acme', 7), 'acme-007');
  t.equal(tenantScope('acme', 123), 'acme-123');
});
