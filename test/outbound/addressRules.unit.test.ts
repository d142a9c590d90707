import t from 'tap';
import { refusalOf, type AddressRefusal } from '../../src/outbound/addressRules.js';
import { checkOutboundUrl } from '../../src/outbound/checkOutboundUrl.js';

const cases: Array<[address: string, expected: AddressRefusal | undefined]> = [
  // IPv4
  ['8.8.8.8', undefined],
  ['1.1.1.1', undefined],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', undefined],
  ['172.15.255.255', undefined],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'private'],
  ['100.127.255.255', 'private'],
  ['100.128.0.1', undefined],
  ['100.63.255.255', undefined],
  ['169.254.169.254', 'metadata'],
  ['169.254.0.1', 'linkLocal'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['192.0.0.170', 'reserved'],
  ['198.19.1.1', 'private'],
  ['198.20.0.1', undefined],
  // IPv6
  ['2001:4860:4860::8888', undefined],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fec0::1', 'private'],
  ['fd00:ec2::254', 'metadata'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['febf::1', 'linkLocal'],
  ['ff02::1', 'multicast'],
  ['100::1', 'reserved'],
  // IPv6 forms carrying IPv4
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:8.8.8.8', undefined],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::8.8.8.8', undefined],
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['2002:0808:0808::1', undefined],
  // not an address at all
  ['example.com', 'reserved'],
];

t.test('address rules, IPv4 and IPv6 forms', async (t) => {
  for (const [address, expected] of cases) t.equal(refusalOf(address), expected, address);
});

const noDns = () => Promise.reject(new Error('no DNS in this test'));

t.test('URLs: only http(s); IP literals in any spelling are judged as the address they are', async (t) => {
  const refused = async (url: string) => {
    const check = await checkOutboundUrl(url, { allowPrivate: false, lookup: noDns });
    return check.ok ? 'ok' : check.reason;
  };
  t.equal(await refused('ftp://8.8.8.8/x'), 'scheme');
  t.equal(await refused('file:///etc/passwd'), 'scheme');
  t.equal(await refused('not a url'), 'invalidUrl');
  t.equal(await refused('http://8.8.8.8/hook'), 'ok');
  t.equal(await refused('http://127.0.0.1:8080/'), 'loopback');
  t.equal(await refused('http://2130706433/'), 'loopback', 'a decimal IPv4');
  t.equal(await refused('http://0x7f.1/'), 'loopback', 'a hex, short IPv4');
  t.equal(await refused('http://[::ffff:169.254.169.254]/latest/meta-data'), 'metadata');
  t.equal(await refused('https://[fd00:ec2::254]/'), 'metadata');
  t.equal(await refused('http://0.0.0.0/'), 'unspecified');
});

t.test('host names: every resolved address must be public, one private answer refuses the URL', async (t) => {
  const lookup = (answers: string[]) => () => Promise.resolve(answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  const mixed = await checkOutboundUrl('https://hooks.example.com/x', { allowPrivate: false, lookup: lookup(['93.184.216.34', '10.0.0.5']) });
  t.match(mixed, { ok: false, reason: 'private' });
  t.match(mixed.ok ? '' : mixed.message, /CALLBACKS_ALLOW_PRIVATE=true/);
  const pub = await checkOutboundUrl('https://hooks.example.com/x', { allowPrivate: false, lookup: lookup(['2606:2800:220:1::1', '93.184.216.34']) });
  t.match(pub, { ok: true, address: '2606:2800:220:1::1', family: 6 });
  const unresolvable = await checkOutboundUrl('https://nowhere.invalid/', { allowPrivate: false, lookup: noDns });
  t.match(unresolvable, { ok: false, reason: 'unresolvable' });
});

t.test('allowPrivate lifts the address rule but not the scheme rule', async (t) => {
  t.match(await checkOutboundUrl('http://127.0.0.1:9/', { allowPrivate: true, lookup: noDns }), { ok: true, address: '127.0.0.1', family: 4 });
  t.match(await checkOutboundUrl('gopher://127.0.0.1/', { allowPrivate: true, lookup: noDns }), { ok: false, reason: 'scheme' });
});

t.test('localhost resolves through the real DNS lookup and is refused as loopback', async (t) => {
  t.match(await checkOutboundUrl('http://localhost:8080/', { allowPrivate: false }), { ok: false, reason: 'loopback' });
});
