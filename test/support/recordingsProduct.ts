import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SignJWT } from 'jose';
import type { Test } from 'tap';
import { loadConfig } from '../../src/config.js';
import { signedQuery } from '../../src/domain/bbb/checksum.js';
import { BbbNodeSimulator } from '../../src/simulator/bbbNodeSimulator.js';
import { eventually } from './eventually.js';
import { ADMIN_SECRET, call } from './httpHarness.js';
import { servedProduct } from './servedProduct.js';

/**
 * The composed product on the memory store with recordings in a temporary directory (or `env`'s S3), tenants
 * acme (with sub 7) and globex, one simulated node; helpers to create meetings, upload archives as the node
 * and read BBB answers.
 */
export const SECRETS = { acme: 'acme-secret-for-the-recordings-test', acme7: 'acme-sub-seven-secret-for-recordings', globex: 'globex-secret-for-the-recordings-test' };
export const recordingsParser = new XMLParser({ parseTagValue: false, ignoreAttributes: false, isArray: (name) => ['recording', 'format', 'image'].includes(name) });

export async function startRecordingsProduct(t: Test, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'recordings-product-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const node = await new BbbNodeSimulator({ secret: 'node-secret-for-recordings' }).start();
  t.teardown(() => node.stop());
  const config = loadConfig({
    EVENTSTORE: 'memory',
    ADMIN_JWT_SECRET: ADMIN_SECRET,
    RECORDINGS_DIR: join(dir, 'store'),
    RECORDINGS_WORK_DIR: join(dir, 'work'),
    RECORDING_UPLOAD_MAX_BYTES: String(1024 * 1024),
    POLL_INTERVAL_MS: '200',
    // Rendering has its own test (recordingRender.int.test.ts); these archives hold no real media.
    RENDER_PROFILES: 'none',
    ...env,
  });
  const { composed, base, token, stop } = await servedProduct(t, config);
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'acme', secrets: [SECRETS.acme] } });
  await call(base, '/admin/api/v1/tenants/acme/secrets', { method: 'POST', token, body: { secret: SECRETS.acme7, subId: 7 } });
  await call(base, '/admin/api/v1/tenants', { method: 'POST', token, body: { name: 'globex', secrets: [SECRETS.globex] } });
  t.equal((await call(base, '/admin/api/v1/nodes', { method: 'POST', token, body: { url: node.apiUrl, secret: node.secret, tags: [], loadFactor: 1 } })).status, 201);
  await eventually('node available', async () => ((await call(base, '/admin/api/v1/nodes', { token })).body as { nodes: Array<{ health: string }> }).nodes.every((n) => n.health === 'available'));
  const bbb = (label: string, secret: string, name: string, params: Array<[string, string]> = []) => `${base}/t/${label}/bigbluebutton/api/${name}?${signedQuery(name, params, secret, 'sha256')}`;
  const xml = async (url: string) => (recordingsParser.parse(await (await fetch(url)).text()) as { response: Record<string, any> }).response;
  const nodeToken = (claims: { sub?: string; expSeconds?: number } = {}, secret = node.secret) => {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub ?? new URL(node.apiUrl).host);
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expSeconds ?? 600));
    return jwt.sign(new TextEncoder().encode(secret));
  };
  const upload = async (archive: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${base}/node/api/v1/recordings`, { method: 'POST', body: archive, headers: { 'content-type': 'application/x-tar', authorization: `Bearer ${await nodeToken()}`, ...headers } });
  const importStatus = async (importId: string) => (await fetch(`${base}/node/api/v1/recordings/imports/${importId}`, { headers: { authorization: `Bearer ${await nodeToken()}` } })).json() as Promise<Record<string, unknown>>;
  const imported = async (archive: Buffer) => {
    const response = await upload(archive);
    t.equal(response.status, 202, 'accepted');
    const { importId } = (await response.json()) as { importId: string };
    let status: Record<string, unknown> = {};
    await eventually('import finished', async () => (status = await importStatus(importId)).state !== 'pending');
    return status;
  };
  /** Creates `meetingID` for a tenant label and answers the internal meeting ID the node gave it (= the record id). */
  const meeting = async (label: string, secret: string, meetingID: string, extra: Array<[string, string]> = []) => {
    const created = await xml(bbb(label, secret, 'create', [['meetingID', meetingID], ['name', `Room ${meetingID}`], ['record', 'true'], ...extra]));
    t.equal(created.returncode, 'SUCCESS', JSON.stringify(created));
    return created.internalMeetingID as string;
  };
  return { base, node, token, bbb, xml, upload, imported, importStatus, nodeToken, meeting, dir, store: composed.store, config, stop };
}

