import t from 'tap';
import {
  checksumOf,
  encodeQuery,
  queryWithoutChecksum,
  signedQuery,
  verifyChecksum,
  verifyParsedChecksum,
} from '../../../src/domain/bbb/checksum.js';

// Worked example of the BBB API docs (api.md "Usage") and the reference's vectors for the other algorithms.
const SECRET = '639259d4-9dd8-4b25-bf01-95f9567eaf4b';
const QUERY = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
const VECTORS = {
  sha1: '1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17',
  sha256: 'da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e',
  sha384: '891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1',
  sha512:
    'de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4',
} as const;

t.test('the documented vectors hash as BBB does', async (t) => {
  for (const [algorithm, expected] of Object.entries(VECTORS)) {
    t.equal(checksumOf(algorithm as keyof typeof VECTORS, 'create', QUERY, SECRET), expected, algorithm);
  }
  t.equal(checksumOf('sha1', 'getMeetings', '', SECRET), '2027baa7771026e9e93392f55031535d1444c41f');
});

t.test('a request signed with any of the four algorithms verifies, whatever the checksum position', async (t) => {
  for (const [algorithm, sum] of Object.entries(VECTORS)) {
    t.same(verifyChecksum('create', `${QUERY}&checksum=${sum}`, [SECRET]), { ok: true, algorithm, secretIndex: 0 });
    t.ok(verifyChecksum('create', `checksum=${sum}&${QUERY}`, [SECRET]).ok, `${algorithm} first`);
  }
});

t.test('hex case does not matter', async (t) => {
  t.ok(verifyChecksum('create', `${QUERY}&checksum=${VECTORS.sha256.toUpperCase()}`, [SECRET]).ok);
});

t.test('when the tenant has two secrets (rotation) / either verifies and says which', async (t) => {
  const verdict = verifyChecksum('create', `${QUERY}&checksum=${VECTORS.sha1}`, ['new-secret', SECRET]);
  t.same(verdict, { ok: true, algorithm: 'sha1', secretIndex: 1 });
});

t.test('bad checksums are refused with the reason', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['missing', QUERY, 'no checksum parameter'],
    ['missing', `${QUERY}&checksum=`, 'empty checksum'],
    ['duplicate', `${QUERY}&checksum=${VECTORS.sha1}&checksum=${VECTORS.sha1}`, 'checksum twice'],
    ['unknownLength', `${QUERY}&checksum=abc123`, 'no algorithm has that length'],
    ['mismatch', `${QUERY}&checksum=${'0'.repeat(40)}`, 'wrong value'],
    ['mismatch', `${QUERY}&extra=1&checksum=${VECTORS.sha1}`, 'query changed after signing'],
    ['mismatch', `${QUERY.replace('Test+Meeting', 'Test%20Meeting')}&checksum=${VECTORS.sha1}`, 'other encoding of the same value'],
  ];
  for (const [reason, query, why] of cases) t.same(verifyChecksum('create', query, [SECRET]), { ok: false, reason }, why);
  t.same(verifyChecksum('join', `${QUERY}&checksum=${VECTORS.sha1}`, [SECRET]), { ok: false, reason: 'mismatch' }, 'other call');
  t.same(verifyChecksum('create', `${QUERY}&checksum=${VECTORS.sha1}`, []), { ok: false, reason: 'mismatch' }, 'no secrets');
  t.same(
    verifyChecksum('create', `${QUERY}&checksum=${VECTORS.sha1}`, [SECRET], ['sha256']),
    { ok: false, reason: 'algorithmNotAllowed' },
  );
});

t.test('verifyParsedChecksum / gives verifyChecksum\'s verdict from checksum values the caller decoded', async (t) => {
  const queries = [
    `${QUERY}&checksum=${VECTORS.sha1}`,
    `checksum=${VECTORS.sha256.toUpperCase()}&${QUERY}`,
    QUERY,
    `${QUERY}&checksum=`,
    `${QUERY}&checksum=${VECTORS.sha1}&checksum=${VECTORS.sha1}`,
    `${QUERY}&checksum=${'0'.repeat(40)}`,
  ];
  for (const query of queries) {
    const provided = new URLSearchParams(query).getAll('checksum');
    t.same(verifyParsedChecksum('create', query, provided, [SECRET]), verifyChecksum('create', query, [SECRET]), query);
  }
});

t.test('checksum removal is literal, like bbb-web', async (t) => {
  t.equal(queryWithoutChecksum('a=1&checksum=ff&b=2', 'ff'), 'a=1&b=2');
  t.equal(queryWithoutChecksum('checksum=ff', 'ff'), '');
});

t.test('signed queries verify and survive any fullName', async (t) => {
  const names = [`O'Brien "the" <b>&amp;</b>`, 'Zoë Ångström 李小龙 🎓', 'a+b=c&d', ' spaced  out ', '%41'];
  for (const fullName of names) {
    const query = signedQuery('join', [['fullName', fullName], ['meetingID', 'm-1']], 'node-secret', 'sha256');
    t.ok(verifyChecksum('join', query, ['node-secret']).ok, fullName);
    t.equal(new URLSearchParams(query).get('fullName'), fullName, 'decodes back to the same name');
    t.notOk(/[^A-Za-z0-9\-._~%=&]/.test(query), 'only characters a browser never re-encodes');
  }
  t.equal(encodeQuery([]), '');
  t.match(signedQuery('getMeetings', [], 's', 'sha1'), /^checksum=[0-9a-f]{40}$/);
});

t.test('a query re-encoded by a browser or fetch (quotes, angle brackets) still verifies', async (t) => {
  const signedBare = `fullName=O'Brien+"the"+<b>&meetingID=m`;
  const sum = checksumOf('sha256', 'join', signedBare, SECRET);
  const onTheWire = `fullName=O%27Brien+%22the%22+%3Cb%3E&meetingID=m&checksum=${sum}`;
  t.same(verifyChecksum('join', onTheWire, [SECRET]), { ok: true, algorithm: 'sha256', secretIndex: 0 });
  const encodeUriComponentStyle = `fullName=O'Brien%20%22the%22&meetingID=m`;
  const sum2 = checksumOf('sha1', 'join', encodeUriComponentStyle, SECRET);
  t.ok(verifyChecksum('join', `fullName=O%27Brien%20%22the%22&meetingID=m&checksum=${sum2}`, [SECRET]).ok, 'only the quote was re-encoded');
  const tampered = `fullName=O%27Brian+%22the%22+%3Cb%3E&meetingID=m&checksum=${sum}`;
  t.same(verifyChecksum('join', tampered, [SECRET]), { ok: false, reason: 'mismatch' }, 'other content still fails');
});
