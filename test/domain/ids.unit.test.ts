import t from 'tap';
import { validate, version } from 'uuid';
import * as ids from '../../src/domain/ids.js';

t.test('every deterministic-id namespace is its own v4 uuid, so no two derivations collide', async (t) => {
  const namespaces = Object.entries(ids);
  t.ok(namespaces.length > 0);
  for (const [name, value] of namespaces) {
    t.ok(validate(value) && version(value) === 4, `${name} is a uuid v4`);
  }
  t.equal(new Set(namespaces.map(([, value]) => value)).size, namespaces.length, 'no namespace is used twice');
});
