import { execFile } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import t from 'tap';
import { serve } from '../support/httpHarness.js';

const run = promisify(execFile);
const UPLOADER = join(import.meta.dirname, '../../infra/node-recordings/bbb-ledger-recording-upload');
const NODE_SECRET = 'node-secret-from-bbb-web-properties';
const RECORD_ID = 'ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124';

interface Upload {
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Buffer;
}

/** A node's file system (bbb-web properties, two published formats) and a balancer that answers `status`. */
async function node(t: Parameters<typeof serve>[0]) {
  const dir = await mkdtemp(join(tmpdir(), 'node-rec-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'bigbluebutton.properties'), 'securitySalt=packaged-default-secret\nbigbluebutton.web.serverURL=http://bigbluebutton.example.com\n');
  await writeFile(join(dir, 'bbb-web.properties'), `# operator settings\nsecuritySalt = ${NODE_SECRET}\nbigbluebutton.web.serverURL=https://bbb1.example.com:8443\n`);
  const published = join(dir, 'published');
  await mkdir(join(published, 'presentation', RECORD_ID, 'video'), { recursive: true });
  await writeFile(join(published, 'presentation', RECORD_ID, 'metadata.xml'), `<recording><id>${RECORD_ID}</id></recording>`);
  await writeFile(join(published, 'presentation', RECORD_ID, 'video', 'webcams.webm'), Buffer.alloc(2048, 1));
  await mkdir(join(published, 'video', RECORD_ID), { recursive: true });
  await writeFile(join(published, 'video', RECORD_ID, 'metadata.xml'), `<recording><id>${RECORD_ID}</id></recording>`);
  await mkdir(join(published, 'presentation', 'other-1700000000000'), { recursive: true });

  const uploads: Upload[] = [];
  const balancer = { status: 202 };
  const base = await serve(t, async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    uploads.push({ path: req.url ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization, body: Buffer.concat(chunks) });
    res.writeHead(balancer.status, { 'content-type': 'application/json' }).end(JSON.stringify(balancer.status === 202 ? { importId: `imp-${uploads.length}` } : { title: 'unavailable' }));
  });
  const env = {
    PATH: process.env.PATH,
    BBB_LEDGER_NO_DEFAULTS: '1',
    BBB_LEDGER_URL: `${base}/`,
    BBB_PUBLISHED_DIR: published,
    BBB_LEDGER_SPOOL_DIR: join(dir, 'spool'),
    BBB_LEDGER_STATE_DIR: join(dir, 'uploaded'),
    BBB_WEB_PROPERTIES: join(dir, 'bbb-web.properties'),
    BBB_WEB_DEFAULT_PROPERTIES: join(dir, 'bigbluebutton.properties'),
  };
  const uploader = (args: string[], extra: Record<string, string> = {}) => run('bash', [UPLOADER, ...args], { env: { ...env, ...extra } });
  return { dir, published, uploads, balancer, uploader };
}

async function tarEntries(dir: string, body: Buffer): Promise<string[]> {
  const file = join(dir, `upload-${Math.random()}.tar`);
  await writeFile(file, body);
  const { stdout } = await run('tar', ['-tf', file]);
  return stdout.split('\n').filter((l) => l !== '');
}

t.test('after publish, each format goes up as a plain tar of <format>/<record_id>/… with the node JWT', async (t) => {
  const { dir, uploads, uploader } = await node(t);
  const before = Math.floor(Date.now() / 1000);
  await uploader(['enqueue', RECORD_ID]);

  t.equal(uploads.length, 2, 'presentation and video, not the other recording');
  for (const upload of uploads) {
    t.equal(upload.path, '/node/api/v1/recordings');
    t.equal(upload.contentType, 'application/x-tar');
    const jwt = (upload.authorization ?? '').replace(/^Bearer /, '');
    t.same(decodeProtectedHeader(jwt), { alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(NODE_SECRET), { algorithms: ['HS256'] });
    t.equal(payload.sub, 'bbb1.example.com:8443', 'host and port of serverURL, from the operator file');
    t.ok((payload.exp ?? 0) > before && (payload.exp ?? 0) - before <= 3600, `exp ${payload.exp} within the hour`);
  }
  const layouts = await Promise.all(uploads.map((u) => tarEntries(dir, u.body)));
  const all = layouts.flat();
  t.ok(all.includes(`presentation/${RECORD_ID}/metadata.xml`));
  t.ok(all.includes(`presentation/${RECORD_ID}/video/webcams.webm`));
  t.ok(all.includes(`video/${RECORD_ID}/metadata.xml`));
  for (const layout of layouts) {
    const formats = new Set(layout.map((entry) => entry.split('/')[0]));
    t.equal(formats.size, 1, 'one format per upload');
    t.ok(layout.every((entry) => entry.split('/')[1] === RECORD_ID), 'every entry under <format>/<record_id>/');
  }
  t.same(await readdir(join(dir, 'spool')).then((n) => n.filter((f) => !f.startsWith('.'))), [], 'nothing left queued');
  t.same((await readdir(join(dir, 'uploaded'))).sort(), [`${RECORD_ID}__presentation`, `${RECORD_ID}__video`]);
});

t.test('the hook passes one format: only that format is uploaded', async (t) => {
  const { uploads, uploader } = await node(t);
  await uploader(['enqueue', RECORD_ID, 'video']);
  t.equal(uploads.length, 1);
});

t.test('a failed upload stays queued with a backoff, and the retry run sends it once due', async (t) => {
  const { dir, uploads, balancer, uploader } = await node(t);
  balancer.status = 503;
  const { stderr } = await uploader(['enqueue', RECORD_ID, 'presentation']);
  t.match(stderr, /HTTP 503/);
  t.match(stderr, /will retry presentation\/.* in 60s/);
  const entry = join(dir, 'spool', `${RECORD_ID}__presentation`);
  const [attempts, due] = (await readFile(entry, 'utf8')).trim().split(' ').map(Number);
  t.equal(attempts, 1);
  t.ok((due ?? 0) > Date.now() / 1000, 'due in the future');

  balancer.status = 202;
  await uploader(['flush']);
  t.equal(uploads.length, 1, 'not due yet: no attempt');
  await writeFile(entry, `1 0\n`);
  await uploader(['flush']);
  t.equal(uploads.length, 2);
  await t.rejects(stat(entry), 'uploaded: no longer queued');
  t.ok((await stat(join(dir, 'uploaded', `${RECORD_ID}__presentation`))).isFile());
});

t.test('an unreachable balancer leaves the upload queued, the publish does not fail', async (t) => {
  const { dir, uploader } = await node(t);
  const { stderr } = await uploader(['enqueue', RECORD_ID, 'video'], { BBB_LEDGER_URL: 'http://127.0.0.1:9' });
  t.match(stderr, /failed: HTTP 000 \(tar or curl failed\)/);
  t.match(stderr, /queued for retry/);
  t.equal((await readFile(join(dir, 'spool', `${RECORD_ID}__video`), 'utf8')).split(' ')[0], '1');
});

t.test('a queued recording whose files are gone is dropped with a log line', async (t) => {
  const { dir, published, uploads, uploader } = await node(t);
  await mkdir(join(dir, 'spool'), { recursive: true });
  await writeFile(join(dir, 'spool', `${RECORD_ID}__podcast`), '3 0\n');
  const { stderr } = await uploader(['flush']);
  t.match(stderr, /dropping queued upload podcast\//);
  t.equal(uploads.length, 0);
  t.ok((await stat(join(published, 'presentation', RECORD_ID))).isDirectory());
});

t.test('the cleaner deletes a recording only when every format was uploaded more than KEEP_DAYS ago', async (t) => {
  const { dir, published, uploader } = await node(t);
  await uploader(['enqueue', RECORD_ID]);
  const old = new Date(Date.now() - 10 * 86_400_000);
  await utimes(join(dir, 'uploaded', `${RECORD_ID}__presentation`), old, old);
  await uploader(['clean'], { BBB_LEDGER_KEEP_DAYS: '7' });
  t.ok((await stat(join(published, 'presentation', RECORD_ID))).isDirectory(), 'video was uploaded only now: kept');

  await utimes(join(dir, 'uploaded', `${RECORD_ID}__video`), old, old);
  await uploader(['clean'], { BBB_LEDGER_KEEP_DAYS: '0' });
  t.ok((await stat(join(published, 'video', RECORD_ID))).isDirectory(), 'KEEP_DAYS=0 keeps everything');
  await uploader(['clean'], { BBB_LEDGER_KEEP_DAYS: '7' });
  await t.rejects(stat(join(published, 'presentation', RECORD_ID)));
  await t.rejects(stat(join(published, 'video', RECORD_ID)));
  t.ok((await stat(join(published, 'presentation', 'other-1700000000000'))).isDirectory(), 'other recordings untouched');
  t.same(await readdir(join(dir, 'uploaded')), []);
});

t.test('the secret falls back to the packaged properties; a missing URL or a bad record id is a clear error', async (t) => {
  const { dir, uploader } = await node(t);
  await writeFile(join(dir, 'bbb-web.properties'), 'bigbluebutton.web.serverURL=https://BBB2.example.com:443/\n');
  const { stdout } = await uploader(['token']);
  const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode('packaged-default-secret'));
  t.equal(payload.sub, 'bbb2.example.com', 'as new URL(…).host reads the registered URL: lower case, no default port');
  await t.rejects(uploader(['enqueue', RECORD_ID], { BBB_LEDGER_URL: '' }), /BBB_LEDGER_URL is not set/);
  await t.rejects(uploader(['enqueue', '../etc']), /is not a record id/);
  await t.rejects(uploader(['token'], { BBB_LEDGER_TOKEN_TTL: '7200' }), /must be 1 to 3600 seconds/);
});
