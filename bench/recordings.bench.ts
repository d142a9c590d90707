/**
 * Recordings: (1) importing an upload of BENCH_UPLOAD_MB (500) MB through the composed product — HTTP upload
 * to staging, then the import (unpack, hash, store, events) — as MB/s beside a plain file copy of the same
 * archive in the same run, with the process's peak RSS, also for a 10× smaller upload (memory must not grow
 * with the size); (2) getRecordings p95 for a tenant holding 10,000 of 100,000 recordings, with and without
 * `limit`, beside the API root in the same run. `npm run bench:recordings`.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SignJWT } from 'jose';
import tar from 'tar-stream';
import { toNewEvent } from '../src/commands/decider/handleCommand.js';
import { recordingStreamId } from '../src/domain/streams.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { signedQuery } from '../src/domain/bbb/checksum.js';
import { silentLogger } from '../src/logging.js';
import { BbbNodeSimulator } from '../src/simulator/bbbNodeSimulator.js';
import { eventually } from '../test/support/eventually.js';
import { metadataXml } from '../test/support/recordingArchives.js';
import { adminToken, ADMIN_SECRET, call } from '../test/support/httpHarness.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { imported } from '../test/domain/recording/recordingFixtures.js';
import { commandContext } from '../test/support/commandContext.js';

const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 500);
const TOTAL_RECORDINGS = Number(process.env.BENCH_RECORDINGS ?? 100_000);
const TENANT_RECORDINGS = Number(process.env.BENCH_TENANT_RECORDINGS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const SECRET = 'acme-secret-for-the-recordings-bench';
const progress = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

/** Peak RSS while `run` runs, sampled every 20 ms. */
async function peakRss<T>(run: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await run();
    return { result, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function writeArchive(path: string, recordId: string, megabytes: number): Promise<void> {
  const pack = tar.pack();
  const written = pipeline(pack, createWriteStream(path));
  const entry = (name: string, body: string) => new Promise<void>((resolve, reject) => pack.entry({ name }, body, (e) => (e ? reject(e) : resolve())));
  await entry(`presentation/${recordId}/metadata.xml`, metadataXml(recordId));
  const chunk = randomBytes(1024 * 1024);
  const video = pack.entry({ name: `presentation/${recordId}/video/webcams.webm`, size: megabytes * chunk.length });
  for (let i = 0; i < megabytes; i++) if (!video.write(chunk)) await new Promise<void>((r) => video.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => video.end((e?: Error | null) => (e ? reject(e) : resolve())));
  pack.finalize();
  await written;
}

function postFile(url: string, path: string, size: number, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-tar', 'content-length': size, authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

/** The composed product on the memory store with `env`, served on loopback; acme registered. */
async function serveProduct(env: Record<string, string>) {
  const composed = await compose(loadConfig({ EVENTSTORE: 'memory', ADMIN_JWT_SECRET: ADMIN_SECRET, LOG_LEVEL: 'silent', ...env }), silentLogger);
  await composed.start();
  const server = createServer(composed.requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = await adminToken();
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRET] } });
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await composed.stop();
  };
  return { composed, base, token, close };
}

async function importBench(dir: string) {
  const node = await new BbbNodeSimulator({ secret: 'node-secret-for-the-bench' }).start();
  const { base, token, close } = await serveProduct({ RECORDINGS_DIR: join(dir, 'store'), RECORDINGS_WORK_DIR: join(dir, 'work'), POLL_INTERVAL_MS: '500' });
  try {
    await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } });
    await eventually('node available', async () => ((await call(base, '/admin/api/v1/nodes', { token })).body as { nodes: Array<{ health: string }> }).nodes.every((n) => n.health === 'available'));
    const rows = [];
    for (const megabytes of [Math.max(1, Math.round(UPLOAD_MB / 10)), UPLOAD_MB]) {
      const created = await (await fetch(`${base}/t/acme/bigbluebutton/api/create?${signedQuery('create', [['meetingID', `bench-${megabytes}`], ['name', 'Bench']], SECRET, 'sha256')}`)).text();
      const recordId = /<internalMeetingID>([^<]+)</.exec(created)![1]!;
      const archive = join(dir, `${recordId}.tar`);
      progress(`writing a ${megabytes} MB archive …`);
      await writeArchive(archive, recordId, megabytes);
      const size = (await stat(archive)).size;
      const copyStart = performance.now();
      await copyFile(archive, join(dir, 'copy.tar'));
      const copyS = (performance.now() - copyStart) / 1000;
      await rm(join(dir, 'copy.tar'));
      const nodeToken = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(new URL(node.apiUrl).host).setExpirationTime('10m').sign(new TextEncoder().encode(node.secret));
      const rssBefore = process.memoryUsage().rss / 2 ** 20;
      const { result, peakMb } = await peakRss(async () => {
        const start = performance.now();
        const answer = await postFile(`${base}/node/api/v1/recordings`, archive, size, nodeToken);
        if (answer.status !== 202) throw new Error(`upload: ${answer.status} ${answer.body}`);
        const uploadS = (performance.now() - start) / 1000;
        const { importId } = JSON.parse(answer.body) as { importId: string };
        await eventually('imported', async () => ((await (await fetch(`${base}/node/api/v1/recordings/imports/${importId}`, { headers: { authorization: `Bearer ${nodeToken}` } })).json()) as { state: string }).state === 'imported', 600_000);
        return { uploadS, totalS: (performance.now() - start) / 1000 };
      });
      await rm(archive);
      const mb = size / 2 ** 20;
      const row = { megabytes: Math.round(mb), uploadMBs: mb / result.uploadS, importMBs: mb / (result.totalS - result.uploadS), endToEndMBs: mb / result.totalS, copyMBs: mb / copyS, rssBeforeMb: rssBefore, peakRssMb: peakMb };
      progress(`${row.megabytes} MB: upload ${row.uploadMBs.toFixed(0)} MB/s, import ${row.importMBs.toFixed(0)} MB/s, end to end ${row.endToEndMBs.toFixed(0)} MB/s (file copy ${row.copyMBs.toFixed(0)} MB/s, ratio ${(row.endToEndMBs / row.copyMBs).toFixed(2)}); RSS ${rssBefore.toFixed(0)} → peak ${peakMb.toFixed(0)} MB; ${load()}`);
      rows.push(row);
    }
    return rows;
  } finally {
    await close();
    await node.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latency(url: string, expect: RegExp): Promise<{ p50: number; p95: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REQUESTS + 10; i++) {
    const start = performance.now();
    const text = await (await fetch(url)).text();
    if (i >= 10) times.push(performance.now() - start);
    if (!expect.test(text)) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
    bytes = text.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
}

async function getRecordingsBench(dir: string) {
  const { composed, base, close } = await serveProduct({ RECORDINGS_DIR: join(dir, 'store2'), PUBLIC_URL: 'https://lb.example' });
  try {
    progress(`appending ${TOTAL_RECORDINGS} RecordingImported events (${TENANT_RECORDINGS} for acme) …`);
    const tenants = Math.round(TOTAL_RECORDINGS / TENANT_RECORDINGS);
    for (let i = 0; i < TOTAL_RECORDINGS; i++) {
      const tenant = i % tenants === 0 ? 'acme' : `tenant-${i % tenants}`;
      const recordId = `${i.toString(16).padStart(40, '0')}-${1700000000000 + i}`;
      const event = imported('presentation', 'm', { recordId, tenant, scope: tenant, meetingID: `room-${i % 500}`, internalMeetingID: recordId, startTime: 1700000000000 + i });
      const context = commandContext({ actor: 'bench', correlationId: 'b', commandId: recordId });
      await composed.store.append(recordingStreamId(recordId), [toNewEvent(event, 0, context)], { expectedRevision: 'no_stream' });
    }
    await eventually('read model caught up', async () => new RegExp(`totalElements>${TENANT_RECORDINGS}<`).test(await (await fetch(`${base}/t/acme/bigbluebutton/api/getRecordings?${signedQuery('getRecordings', [['limit', '1']], SECRET, 'sha256')}`)).text()), 120_000);
    const url = (params: Array<[string, string]>) => `${base}/t/acme/bigbluebutton/api/getRecordings?${signedQuery('getRecordings', params, SECRET, 'sha256')}`;
    const root = await latency(`${base}/t/acme/bigbluebutton/api`, /SUCCESS/);
    const limited = await latency(url([['limit', '100']]), /<pagination>/);
    const all = await latency(url([]), /<recordings><recording>/);
    const meeting = await latency(url([['meetingID', 'room-10']]), /<recording>/);
    const report = (label: string, r: { p50: number; p95: number; bytes: number }) =>
      progress(`${label.padEnd(34)} p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  (${(r.bytes / 1024).toFixed(0)} KiB, p95 ${(r.p95 / root.p95).toFixed(1)}× the API root's); ${load()}`);
    report('API root (baseline)', root);
    report('getRecordings limit=100', limited);
    report('getRecordings one meetingID', meeting);
    report('getRecordings all 10,000', all);
    return { root, limited, meeting, all };
  } finally {
    await close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'recordings-bench-'));
try {
  console.log(`recordings bench: ${load()}`);
  await getRecordingsBench(dir);
  await importBench(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
