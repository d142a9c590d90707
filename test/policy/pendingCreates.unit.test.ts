import t from 'tap';
import { PendingCreates } from '../../src/policy/pendingCreates.js';

t.test('creates in flight / counted per tenant and scope until settled or expired', async (t) => {
  let now = 0;
  const pending = new PendingCreates(1000, () => now);
  pending.add('acme', 'acme', 'a');
  pending.add('acme', 'acme-007', 'b');
  pending.add('acme', 'acme-007', 'b');
  t.equal(pending.of('acme'), 2, 'a repeated create counts once');
  t.equal(pending.of('acme-007'), 1);
  t.ok(pending.has('acme-007', 'b'));
  pending.settle('acme', 'a');
  pending.settle('acme', 'nothing');
  t.equal(pending.of('acme'), 1);
  now = 500;
  pending.add('acme', 'acme', 'c');
  now = 1200;
  t.equal(pending.of('acme'), 1, 'the oldest expired');
  t.notOk(pending.has('acme-007', 'b'));
  t.equal(pending.of('acme-007'), 0);
  now = 1600;
  t.equal(pending.of('acme'), 0);
});
