import t from 'tap';
import { recordingXml } from '../../src/domain/bbb/recordingsResponse.js';
import type { RecordingView } from '../../src/domain/recording/view.js';
import { recordingLinks } from '../../src/http/playback/recordingLinks.js';
import { memorySpentTokens } from '../../src/http/playback/spentTokens.js';
import { imported, recordId } from '../domain/recording/recordingFixtures.js';

/** Every instance shares the secret and the spent tokens (Redis). */
const spent = memorySpentTokens();
const at = (ms: number) => recordingLinks({ secret: 'a-secret-shared-by-every-instance', ttlSeconds: 60, sessionSeconds: 600, spent, now: () => ms });
const T = Date.parse('2026-12-05T10:00:00Z');

t.test('a token / valid for its recording and format until it expires, on any instance with the same secret', async (t) => {
  const token = at(T).token(recordId, 'presentation');
  t.ok(at(T + 59_000).valid(token, recordId, 'presentation'), 'another instance, within the ttl');
  t.notOk(at(T + 60_000).valid(token, recordId, 'presentation'), 'expired at the ttl');
  t.notOk(at(T).valid(token, recordId, 'video'), 'another format');
  t.notOk(at(T).valid(token, `${recordId.slice(0, -1)}1`, 'presentation'), 'another recording');
  t.ok(at(T + 599_000).valid(at(T).token(recordId, 'presentation', 600), recordId, 'presentation'), 'a session lives its own length');
});

t.test('a forged, tampered or malformed token / refused', async (t) => {
  const links = at(T);
  const token = links.token(recordId, 'presentation');
  const [expiry, nonce, mac] = token.split('.') as [string, string, string];
  t.notOk(links.valid(`${Number(expiry) + 3600}.${nonce}.${mac}`, recordId, 'presentation'), 'a later expiry with the old MAC');
  t.notOk(links.valid(`${expiry}.${'A'.repeat(16)}.${mac}`, recordId, 'presentation'), 'another nonce with the old MAC');
  t.notOk(recordingLinks({ secret: 'another-secret-of-another-deployment', ttlSeconds: 60, sessionSeconds: 60, spent, now: () => T }).valid(token, recordId, 'presentation'), 'another key');
  for (const bad of [undefined, '', 'x', `${expiry}.`, `${expiry}.${nonce}.${mac}x`, `-1.${nonce}.${mac}`, `${expiry}.${mac}`]) t.notOk(links.valid(bad, recordId, 'presentation'), JSON.stringify(bad));
});

t.test('a link opened / spends its token, on every instance; another token of the same second still opens', async (t) => {
  const token = at(T).token(recordId, 'presentation');
  const sameSecond = at(T).token(recordId, 'presentation');
  t.not(token, sameSecond, 'each token its own nonce');
  t.ok(await at(T + 1000).consume(token, recordId, 'presentation'), 'the first open');
  t.notOk(await at(T + 2000).consume(token, recordId, 'presentation'), 'again, on another instance: spent');
  t.ok(at(T + 2000).valid(token, recordId, 'presentation'), 'still genuine (a thumbnail signed with it loads)');
  t.ok(await at(T + 2000).consume(sameSecond, recordId, 'presentation'));
  t.notOk(await at(T).consume(at(T).token(recordId, 'presentation'), recordId, 'video'), 'another format is not spent, just refused');
  t.notOk(await at(T + 61_000).consume(at(T).token(recordId, 'presentation'), recordId, 'presentation'), 'expired');
});

t.test('a protected recording’s XML / every URL signed for its own format, the player behind /recording/<id>/<format>', async (t) => {
  const { playback, importId: _i, nodeId: _n, published: _p, replaced: _r, ...facts } = imported().data;
  const view: RecordingView = { ...facts, state: 'published', protected: null, formats: [playback], renders: [{ profile: 'video', file: { path: `${recordId}.mp4`, bytes: 9, sha256: 'a' }, durationSeconds: 60 }] };
  const xml = recordingXml('https://lb.example', view, (format) => `tok-${format}`);
  t.match(xml, `<url>https://lb.example/recording/${recordId}/presentation?token=tok-presentation</url>`);
  t.match(xml, `/presentation/${recordId}/presentation/p1/thumbnails/thumb-1.png?token=tok-presentation</image>`);
  t.match(xml, `<url>https://lb.example/recording/${recordId}/render-video?token=tok-render-video</url>`, 'the MP4 behind its own one-time link');
  t.match(xml, '<published>true</published><protected>true</protected>', 'Scalelite’s <protected>, after <published>');
  t.notMatch(recordingXml('https://lb.example', view), /token=/, 'unprotected: plain');
  t.match(recordingXml('https://lb.example', view), '<protected>false</protected>');
});
