import t from 'tap';
import { decodeForm, firstValues } from '../../../src/http/bbb/formEncoding.js';

t.test('well-formed / decodes percent-escapes, + as space and UTF-8', async (t) => {
  t.same(decodeForm('name=Test+Meeting&meetingID=a%2Bb&x=%C3%A9t%C3%A9&flag&empty=', false), {
    ok: true,
    pairs: [['name', 'Test Meeting'], ['meetingID', 'a+b'], ['x', 'été'], ['flag', ''], ['empty', '']],
  });
  t.same(decodeForm('', false), { ok: true, pairs: [] });
  t.same(decodeForm('&&a=1&', false), { ok: true, pairs: [['a', '1']] });
  t.same(decodeForm('a=b=c', false), { ok: true, pairs: [['a', 'b=c']] });
});

t.test('malformed / refuses instead of guessing', async (t) => {
  for (const raw of ['a=%FF', 'a=%zz', 'a=%', 'a=%4', '%C3=1', 'a=%C3%28', 'a=%ED%A0%80', 'a=é', 'a=%C0%AF', 'a=%F4%90%80%80', 'a=x+%E2%82']) {
    t.same(decodeForm(raw, false), { ok: false }, raw);
  }
});

t.test('a leading byte order mark / is part of the value, in a query and in a body', async (t) => {
  t.same(decodeForm('a=%EF%BB%BFx', false), { ok: true, pairs: [['a', '\ufeffx']] });
  t.same(decodeForm(Buffer.from('a=\ufeffé', 'utf8').toString('latin1'), true), { ok: true, pairs: [['a', '\ufeffé']] });
});

t.test('raw bytes / are UTF-8 in a body, refused in a query', async (t) => {
  const latin1 = Buffer.from('name=été', 'utf8').toString('latin1');
  t.same(decodeForm(latin1, true), { ok: true, pairs: [['name', 'été']] });
  t.same(decodeForm(latin1, false), { ok: false });
  t.same(decodeForm(Buffer.from([0x61, 0x3d, 0xff]).toString('latin1'), true), { ok: false }, 'a raw byte that is not UTF-8');
});

t.test('firstValues / keeps the first value of a repeated name, like bbb-web', async (t) => {
  const params = firstValues([['a', '1'], ['b', '2'], ['a', '3']]);
  t.same([...params], [['a', '1'], ['b', '2']]);
  firstValues([['b', 'body'], ['c', 'body']], params);
  t.same([...params], [['a', '1'], ['b', '2'], ['c', 'body']], 'later sources only add names not seen yet');
});

t.test('plain ASCII without % or + / decodes to itself (the fast path)', async (t) => {
  t.same(decodeForm("meetingID=room-1_2.3~!*()'$,;:@/?&role=VIEWER", false), { ok: true, pairs: [['meetingID', "room-1_2.3~!*()'$,;:@/?"], ['role', 'VIEWER']] });
  t.same(decodeForm('a=\u007f', false), { ok: true, pairs: [['a', '\u007f']] });
});
