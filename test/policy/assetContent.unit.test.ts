import t from 'tap';
import { sniffAsset } from '../../src/policy/assetContent.js';
import { CSS, JPEG, PDF, PNG, SVG } from '../support/assetSamples.js';
import { ODP, ODT, PPTX } from '../support/storedZip.js';

const accepted = (mime: string) => ({ kind: 'accepted', mime });

t.test('given the bytes of each accepted type / should find the type from the content', async (t) => {
  t.same(await sniffAsset('logo', PNG()), accepted('image/png'));
  t.same(await sniffAsset('logo', JPEG()), accepted('image/jpeg'));
  t.same(await sniffAsset('logo', SVG()), accepted('image/svg+xml'));
  t.same(await sniffAsset('slide', PDF()), accepted('application/pdf'));
  t.same(await sniffAsset('slide', PPTX()), accepted('application/vnd.openxmlformats-officedocument.presentationml.presentation'));
  t.same(await sniffAsset('slide', ODP()), accepted('application/vnd.oasis.opendocument.presentation'));
  t.same(await sniffAsset('slide', PNG()), accepted('image/png'));
  t.same(await sniffAsset('css', CSS()), accepted('text/css'));
});

t.test('given a file that is not what its kind may be / should refuse naming what it is', async (t) => {
  t.match(await sniffAsset('logo', PDF()), { kind: 'refused', reason: /application\/pdf.*PNG, JPEG or SVG/ });
  t.match(await sniffAsset('slide', ODT()), { kind: 'refused', reason: /opendocument\.text/ });
  t.match(await sniffAsset('slide', JPEG()), { kind: 'refused', reason: /image\/jpeg/ });
  t.match(await sniffAsset('css', PNG()), { kind: 'refused', reason: /image\/png/ });
  t.match(await sniffAsset('slide', Buffer.from('just some text')), { kind: 'refused', reason: /not a file type/ });
  t.match(await sniffAsset('logo', Buffer.alloc(0)), { kind: 'refused', reason: /empty/ });
});

t.test('given an SVG logo / should refuse what is not a safe, complete SVG image', async (t) => {
  const svg = (inner: string, root = '<svg xmlns="http://www.w3.org/2000/svg">') => Buffer.from(`${root}${inner}</svg>`);
  t.match(await sniffAsset('logo', svg('<script>alert(1)</script>')), { kind: 'refused', reason: /<script>/ });
  t.match(await sniffAsset('logo', svg('<rect onload="alert(1)"/>')), { kind: 'refused', reason: /event handler/ });
  t.match(await sniffAsset('logo', svg('<a href="javascript:alert(1)"><rect/></a>')), { kind: 'refused', reason: /javascript:/ });
  t.match(await sniffAsset('logo', svg('<foreignObject><p>x</p></foreignObject>')), { kind: 'refused', reason: /foreignObject/ });
  t.match(await sniffAsset('logo', svg('<rect/>', '<svg>')), { kind: 'refused', reason: /xmlns/ });
  t.match(await sniffAsset('logo', Buffer.from('<html><svg xmlns="http://www.w3.org/2000/svg"></svg></html>')), { kind: 'refused', reason: /root element is not <svg>/ });
  t.match(await sniffAsset('logo', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect/>')), { kind: 'refused', reason: /not complete/ });
  t.match(await sniffAsset('logo', Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')), { kind: 'refused', reason: /entities/ });
  t.match(await sniffAsset('logo', Buffer.from([0xc3, 0x28, 0x3c, 0x73])), { kind: 'refused', reason: /neither a PNG or JPEG image nor UTF-8 text/ });
});

t.test('given a stylesheet / should refuse what is not well-formed CSS text', async (t) => {
  t.match(await sniffAsset('css', Buffer.from('<html><body></body></html>')), { kind: 'refused', reason: /HTML/ });
  t.match(await sniffAsset('css', Buffer.from('a { color: red; } </style><script>x()</script>')), { kind: 'refused', reason: /HTML/ });
  t.match(await sniffAsset('css', Buffer.from('a { color: red; ')), { kind: 'refused', reason: /never closes/ });
  t.match(await sniffAsset('css', Buffer.from('a { color: red; } }')), { kind: 'refused', reason: /never opened/ });
  t.match(await sniffAsset('css', Buffer.from('a { content: "} ; }')), { kind: 'refused', reason: /string that is never closed/ });
  t.match(await sniffAsset('css', Buffer.from('/* a { }')), { kind: 'refused', reason: /comment/ });
  t.match(await sniffAsset('css', Buffer.from('a { background: url(javascript:alert(1)) }')), { kind: 'refused', reason: /script/ });
  t.match(await sniffAsset('css', Buffer.from('  \n ')), { kind: 'refused', reason: /empty/ });
  t.match(await sniffAsset('css', Buffer.from('a{}\u0000')), { kind: 'refused', reason: /not UTF-8 text/ });
  t.same(await sniffAsset('css', Buffer.from('a { content: "{"; } /* } */ b { }')), accepted('text/css'));
});
