import t from 'tap';
import { allowList, metricsAccess } from '../../src/metrics/metricsAccess.js';

const TOKEN = 'a-metrics-token-of-some-length';

t.test('with a token and an allow-list / the token or an allowed address lets a scrape in', async (t) => {
  const access = metricsAccess({ token: TOKEN, allow: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'] });
  t.equal(access(`Bearer ${TOKEN}`, '203.0.113.9'), 'allowed');
  t.equal(access(`bearer   ${TOKEN} `, '203.0.113.9'), 'allowed', 'the scheme is case-insensitive');
  t.equal(access(undefined, '10.1.2.3'), 'allowed');
  t.equal(access(undefined, '::ffff:10.1.2.3'), 'allowed', 'an IPv4 client on a dual-stack socket');
  t.equal(access(undefined, '2001:db8::1'), 'allowed');
  t.equal(access(undefined, '192.0.2.7'), 'allowed');
  t.equal(access(undefined, '192.0.2.8'), 'unauthorized');
  t.equal(access(`Bearer ${TOKEN}x`, '203.0.113.9'), 'unauthorized');
  t.equal(access(`Basic ${TOKEN}`, '203.0.113.9'), 'unauthorized');
});

t.test('without a token / an address outside the list is forbidden', async (t) => {
  const access = metricsAccess({ token: undefined, allow: ['127.0.0.1', '::1'] });
  t.equal(access(undefined, '127.0.0.1'), 'allowed');
  t.equal(access(undefined, '::1'), 'allowed');
  t.equal(access('Bearer anything', '10.0.0.1'), 'forbidden');
  t.equal(access(undefined, undefined), 'forbidden');
});

t.test('an allow-list entry that is not an address or range / is named in the error', async (t) => {
  for (const entry of ['example.com', '10.0.0.0/33', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) t.throws(() => allowList([entry]), new RegExp(entry.replace(/[./:]/g, '\\$&')));
});
