import t from 'tap';
import { recordingLinks } from '../../src/http/playback/recordingLinks.js';
import { memorySpentTokens } from '../../src/http/playback/spentTokens.js';
import { ADMIN_SECRET, call } from '../support/httpHarness.js';
import { makeTar, scaleliteEntries } from '../support/recordingArchives.js';
import { SECRETS, startRecordingsProduct } from '../support/recordingsProduct.js';

t.test('a protected tenant / getRecordings hands out signed, expiring links; unsigned, forged and expired ones are refused', async (t) => {
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'protected lesson');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  const put = await call(p.base, '/admin/api/v1/tenants/acme/recordings', { method: 'PUT', token: p.token, body: { protected: true } });
  t.same((put.body as { recordings: unknown }).recordings, { retentionDays: null, protected: true });

  const list = await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]));
  const presentation = list.recordings.recording[0].playback.format[0];
  const link = new URL(presentation.url as string);
  t.equal(link.pathname, `/recording/${recordId}/presentation`, 'Scalelite’s protected link shape');
  const token = link.searchParams.get('token')!;
  t.match(token, /^\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
  const thumbnail = new URL(presentation.preview.images.image[0]['#text'] as string);
  t.equal(thumbnail.searchParams.get('token'), token, 'the thumbnail is signed too');

  const file = `${p.base}/presentation/${recordId}/metadata.xml`;
  t.equal((await fetch(file)).status, 403, 'unsigned: refused');
  t.equal((await fetch(`${file}?token=${token.slice(0, -2)}AA`)).status, 403, 'forged: refused');
  const expired = recordingLinks({ secret: ADMIN_SECRET, ttlSeconds: 60, sessionSeconds: 60, spent: memorySpentTokens(), now: () => Date.now() - 3_600_000 }).token(recordId, 'presentation');
  t.equal((await fetch(`${file}?token=${expired}`)).status, 403, 'expired (signed with the right key an hour ago): refused');
  t.equal((await fetch(`${p.base}/recording/${recordId}/presentation?token=${expired}`)).status, 403);
  const otherFormat = recordingLinks({ secret: ADMIN_SECRET, ttlSeconds: 60, sessionSeconds: 60, spent: memorySpentTokens(), now: Date.now }).token(recordId, 'video');
  t.equal((await fetch(`${file}?token=${otherFormat}`)).status, 403, 'a token of another format: refused');
  t.equal((await fetch(thumbnail)).status, 200, 'the signed thumbnail is served');
  t.equal((await fetch(`${file}?token=${token}`)).status, 403, 'the link’s token opens the link, not the files themselves');

  const opened = await fetch(link, { redirect: 'manual' });
  t.equal(opened.status, 307);
  t.equal(opened.headers.get('location'), `/playback/presentation/2.3/${recordId}`);
  const cookie = opened.headers.get('set-cookie')!;
  t.match(cookie, new RegExp(`^recording_presentation_${recordId}=\\d+\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}; path=/presentation/${recordId}; .*httponly`, 'i'));
  const session = cookie.split(';')[0]!;
  const played = await fetch(`${p.base}/presentation/${recordId}/video/webcams.webm`, { headers: { cookie: session, range: 'bytes=0-9' } });
  t.equal(played.status, 206, 'the player’s requests carry the session and are served');
  t.equal((await fetch(link, { redirect: 'manual' })).status, 403, 'the link again: spent (one-time, as Scalelite’s)');
  t.equal((await fetch(thumbnail)).status, 200, 'its thumbnail still loads');
  const fresh = new URL((await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]))).recordings.recording[0].playback.format[0].url as string);
  t.equal((await fetch(fresh, { redirect: 'manual' })).status, 307, 'a fresh link from getRecordings opens');

  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'publishRecordings', [['recordID', recordId], ['publish', 'false']]))).published, 'false');
  t.equal((await fetch(`${file}?token=${token}`)).status, 404, 'unpublished: 404 whatever the token');

  const globexId = await p.meeting('globex', SECRETS.globex, 'open lesson');
  t.equal((await p.imported(await makeTar(scaleliteEntries(globexId)))).state, 'imported');
  const open = await p.xml(p.bbb('globex', SECRETS.globex, 'getRecordings', [['recordID', globexId]]));
  t.match(open.recordings.recording[0].playback.format[0].url, new RegExp(`/playback/presentation/2\\.3/${globexId}$`), 'an unprotected tenant’s links are plain');
  t.equal((await fetch(`${p.base}/presentation/${globexId}/metadata.xml`)).status, 200);
});

t.test('updateRecordings protect / one recording’s own protection overrides its tenant’s default either way; a bad value is refused', async (t) => {
  const p = await startRecordingsProduct(t);
  const recordId = await p.meeting('acme', SECRETS.acme, 'one protected lesson');
  t.equal((await p.imported(await makeTar(scaleliteEntries(recordId)))).state, 'imported');
  const listed = async () => (await p.xml(p.bbb('acme', SECRETS.acme, 'getRecordings', [['recordID', recordId]]))).recordings.recording[0];
  const file = `${p.base}/presentation/${recordId}/metadata.xml`;
  t.equal((await listed()).protected, 'false', 'Scalelite’s <protected>');

  const bad = await p.xml(p.bbb('acme', SECRETS.acme, 'updateRecordings', [['recordID', recordId], ['protect', 'maybe']]));
  t.same([bad.returncode, bad.messageKey], ['FAILED', 'validationError']);
  t.equal((await listed()).protected, 'false', 'nothing changed');

  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'updateRecordings', [['recordID', recordId], ['protect', 'true']]))).updated, 'true');
  const protectedOne = await listed();
  t.equal(protectedOne.protected, 'true');
  const link = new URL(protectedOne.playback.format[0].url as string);
  t.equal(link.pathname, `/recording/${recordId}/presentation`, 'a signed link although the tenant’s default is plain');
  t.equal((await fetch(file)).status, 403, 'unsigned: refused');
  const opened = await fetch(link, { redirect: 'manual' });
  t.equal(opened.status, 307);
  t.equal((await fetch(file, { headers: { cookie: opened.headers.get('set-cookie')!.split(';')[0]! } })).status, 200, 'the session the link opened: served');

  const put = await call(p.base, '/admin/api/v1/tenants/acme/recordings', { method: 'PUT', token: p.token, body: { protected: true } });
  t.equal(put.status, 200);
  t.equal((await p.xml(p.bbb('acme', SECRETS.acme, 'updateRecordings', [['recordID', recordId], ['protect', 'false']]))).updated, 'true');
  const plain = await listed();
  t.equal(plain.protected, 'false', 'unprotected although its tenant protects by default');
  t.match(plain.playback.format[0].url, new RegExp(`/playback/presentation/2\\.3/${recordId}$`));
  t.equal((await fetch(file)).status, 200, 'served without a token');

  const events: string[] = [];
  for await (const event of p.store.readStream(`recording-${recordId}`)) if (event.type === 'RecordingProtectionChanged') events.push(`${JSON.stringify((event.data as { protected: boolean }).protected)} ${event.metadata.actor}`);
  t.same(events, ['true tenant:acme', 'false tenant:acme'], 'each change an event of the recording, by its tenant');
});
